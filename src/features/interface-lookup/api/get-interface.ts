import { hashKey, queryOptions, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { ApiError } from '../../../api/api-error.ts';
import type { ApiClient } from '../../../api/client.ts';
import { request } from '../../../api/client.ts';
import { guards } from '../../../api/guards.ts';
import { useApi } from '../../../lib/panel-config.tsx';
import { toLookupQuery, type LookupTarget } from '../lookup-schema.ts';

export const interfaceKeys = {
  all: ['interface-lookup'] as const,
  lookup: (t: LookupTarget) => [...interfaceKeys.all, t] as const,
};

/** How many times a lookup answered 429 is retried by itself before the user is asked. */
export const RATE_LIMIT_RETRIES = 5;
/** Seconds to wait before the retry after the n-th 429 in a row (0-based): the limit is per minute. */
export const rateLimitDelay = (attempt: number) => [5, 10, 20, 30][attempt] ?? 60;

export async function getInterface(api: ApiClient, target: LookupTarget, signal?: AbortSignal) {
  const body = await request(
    api.GET('/virtual_machines/virtual_machine/networks/network/interface', {
      params: { query: toLookupQuery(target) },
      signal,
    }),
    guards().lookupAnswer,
    'a virtual_machine_network_interface',
  );
  return body.virtual_machine_network_interface;
}

/** The lookup's answer, as soon as it is parsed (before React renders it): lets the app start what depends on it. */
export type OnInterface = (iface: Awaited<ReturnType<typeof getInterface>>) => void;

type Answer = Awaited<ReturnType<typeof getInterface>>;

/** At most one lookup sent ahead of its query (see sendLookupEarly), by query hash. */
let early: { hash: string; answer: Promise<Answer>; controller: AbortController; sentAt: number } | undefined;

/**
 * How long a request sent ahead stays the one to take when the same lookup is sent ahead again: a
 * mouse press sends it, and the click that follows on release sends it again (50–150 ms later
 * when a person clicks).
 */
const PRESS_TO_CLICK_MS = 1000;

/**
 * Sends the lookup for `target` now, for the query that React is about to start: the submit
 * handler calls it before the render and the URL update (about 5 ms after the click in the bench),
 * and the query's first attempt takes this request instead of sending its own; a mouse press on
 * "Look up" calls it too, and the click that follows keeps that request. Only call it when that
 * query will fetch (see lookupWillFetch): a request no query takes is aborted by the next one.
 */
export function sendLookupEarly(api: ApiClient, target: LookupTarget) {
  const hash = hashKey(interfaceKeys.lookup(target));
  if (early?.hash === hash && !early.controller.signal.aborted && performance.now() - early.sentAt < PRESS_TO_CLICK_MS) return;
  early?.controller.abort();
  const controller = new AbortController();
  const answer = getInterface(api, target, controller.signal);
  // Its outcome is the query's to report; this only keeps an unclaimed failure from being "unhandled".
  answer.catch(() => undefined);
  early = { hash, answer, controller, sentAt: performance.now() };
}

/**
 * The request sent early for this query, once: retries and later fetches send their own. One left
 * by a press that never became a click is too old to take when its lookup is shown later on.
 */
function takeEarly(hash: string, signal: AbortSignal): Promise<Answer> | undefined {
  if (early?.hash !== hash) return undefined;
  const { answer, controller, sentAt } = early;
  early = undefined;
  if (performance.now() - sentAt > 2 * PRESS_TO_CLICK_MS) {
    controller.abort();
    return undefined;
  }
  if (signal.aborted) controller.abort();
  else signal.addEventListener('abort', () => controller.abort(), { once: true });
  return answer;
}

/**
 * Whether showing `target` now makes its query fetch: no answer yet, or a stale one, and nothing
 * under way (react-query's own rule for a query an observer switches to).
 */
export function lookupWillFetch(queryClient: QueryClient, target: LookupTarget) {
  const query = queryClient.getQueryCache().find({ queryKey: interfaceKeys.lookup(target), exact: true });
  if (!query) return true;
  const staleTime = queryClient.getDefaultOptions().queries?.staleTime;
  return query.state.fetchStatus === 'idle' && query.isStaleByTime(typeof staleTime === 'number' ? staleTime : 0);
}

export const interfaceOptions = (api: ApiClient, target: LookupTarget, onAnswer?: OnInterface) => {
  const queryKey = interfaceKeys.lookup(target);
  return queryOptions({
    queryKey,
    queryFn: async ({ signal }) => {
      const iface = await (takeEarly(hashKey(queryKey), signal) ?? getInterface(api, target, signal));
      onAnswer?.(iface);
      return iface;
    },
  });
};

type Retry = boolean | number | ((failureCount: number, error: ApiError) => boolean) | undefined;
type RetryDelay = number | ((failureCount: number, error: ApiError) => number) | undefined;

/**
 * The lookup. A 429 is retried by react-query itself after a growing pause (5, 10, 20, 30 s…),
 * so the attempt count lives in the query (`failureCount`, `failureReason`) and survives
 * re-renders; every other error keeps the client's own retry policy.
 */
export function useInterface(target: LookupTarget | undefined, onAnswer?: OnInterface) {
  const api = useApi();
  const defaults = useQueryClient().getDefaultOptions().queries;
  const baseRetry = defaults?.retry as Retry;
  const baseDelay = defaults?.retryDelay as RetryDelay;
  return useQuery({
    ...interfaceOptions(api, target ?? { vm: { kind: 'id', value: '' }, network: { kind: 'id', value: '' } }, onAnswer),
    enabled: target !== undefined,
    retry: (count, error) => {
      if (error.code === 'rate_limit_reached') return count < RATE_LIMIT_RETRIES;
      if (typeof baseRetry === 'function') return baseRetry(count, error);
      if (typeof baseRetry === 'number') return count < baseRetry;
      return baseRetry ?? false;
    },
    retryDelay: (count, error) => {
      if (error.code === 'rate_limit_reached') return rateLimitDelay(count) * 1000;
      if (typeof baseDelay === 'function') return baseDelay(count, error);
      return baseDelay ?? Math.min(1000 * 2 ** count, 30_000);
    },
  });
}
