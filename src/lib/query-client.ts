import { notifyManager, QueryClient } from '@tanstack/react-query';
import type { ApiError } from '../api/api-error.ts';

declare module '@tanstack/react-query' {
  interface Register {
    defaultError: ApiError;
  }
}

/** How many times a request answered 429 is retried by itself before the error stays. */
export const RATE_LIMIT_RETRIES = 5;
/** Seconds to wait before the retry after the n-th 429 in a row (0-based): Katapult's limit is per minute. */
export const rateLimitDelay = (attempt: number) => [5, 10, 20, 30][attempt] ?? 60;

export const isRateLimited = (error: ApiError) => error.code === 'rate_limit_reached' || error.status === 429;

/** Failures that heal by themselves: a rate limit, no answer at all, Katapult or the proxy unavailable. */
export const isTransient = (error: ApiError) =>
  isRateLimited(error) || error.kind === 'network' || error.status === 502 || error.status === 503 || error.status === 504;

/**
 * The panel's one retry policy for reads: a rate limit is waited out with growing pauses; the other
 * transient failures are retried twice; anything else is final.
 */
export function shouldRetry(failureCount: number, error: ApiError): boolean {
  if (isRateLimited(error)) return failureCount < RATE_LIMIT_RETRIES;
  return failureCount < 2 && isTransient(error);
}

export function retryDelay(failureCount: number, error: ApiError): number {
  if (isRateLimited(error)) return rateLimitDelay(failureCount) * 1000;
  return Math.min(500 * 2 ** failureCount, 4000);
}

/**
 * The wait before the retry react-query has scheduled, from a query's state: its `failureCount`
 * counts the failures so far, and the delay was chosen with the count before the last one.
 */
export const scheduledRetryMs = (state: { failureCount: number; failureReason: ApiError | null }) =>
  state.failureReason && state.failureCount > 0 ? retryDelay(state.failureCount - 1, state.failureReason) : 0;

/**
 * Query updates reach React in a microtask, not in a later `setTimeout(0)` task (the default): an
 * answer is rendered right after it is parsed instead of waiting behind queued timers, and a page
 * whose timers are held (Playwright's page clock) still shows it. A documented option of the
 * notify manager; set once per page, since every panel instance shares it.
 */
notifyManager.setScheduler(queueMicrotask);

export function createQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        retry: shouldRetry,
        retryDelay,
        // Sections load their code when first shown: one that mounts after its read has failed shows that
        // failure instead of sending it again (Try again, and a new key, still ask again).
        retryOnMount: false,
        staleTime: 30_000,
        // A panel left in a background tab shows the truth again when its user comes back to it: what
        // is stale (older than staleTime) is read again. A followed task is never stale (its own schedule).
        refetchOnWindowFocus: true,
      },
      // A change is never resent by itself: a PATCH repeated after a lost answer could queue a second change.
      mutations: { retry: false },
    },
  });
}
