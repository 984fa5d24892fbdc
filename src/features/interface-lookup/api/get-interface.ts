import { queryOptions, useQuery, useQueryClient } from '@tanstack/react-query';
import * as z from 'zod/mini';
import type { ApiError } from '../../../api/api-error.ts';
import type { ApiClient } from '../../../api/client.ts';
import { request } from '../../../api/client.ts';
import { lookupInterface } from '../../../api/guards.ts';
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
    z.looseObject({ virtual_machine_network_interface: lookupInterface }),
    'a virtual_machine_network_interface',
  );
  return body.virtual_machine_network_interface;
}

/** The lookup's answer, as soon as it is parsed (before React renders it): lets the app start what depends on it. */
export type OnInterface = (iface: Awaited<ReturnType<typeof getInterface>>) => void;

export const interfaceOptions = (api: ApiClient, target: LookupTarget, onAnswer?: OnInterface) =>
  queryOptions({
    queryKey: interfaceKeys.lookup(target),
    queryFn: async ({ signal }) => {
      const iface = await getInterface(api, target, signal);
      onAnswer?.(iface);
      return iface;
    },
  });

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
