import { notifyManager, QueryClient } from '@tanstack/react-query';
import type { ApiError } from '../api/api-error.ts';

declare module '@tanstack/react-query' {
  interface Register {
    defaultError: ApiError;
  }
}

/** Retry only what can heal by itself: no answer at all, or Katapult/proxy being unavailable. */
export function shouldRetry(failureCount: number, error: ApiError): boolean {
  if (failureCount >= 2) return false;
  return error.kind === 'network' || error.status === 502 || error.status === 503 || error.status === 504;
}

/**
 * Query updates reach React in a microtask, not in a later `setTimeout(0)` task (the default): a
 * lookup's answer is rendered right after it is parsed instead of waiting behind whatever other
 * answers and timers are queued (bench: lookup → card). A documented option of the notify manager;
 * TanStack's maintainer uses it (getsentry/sentry#111187) and plans it as the default
 * (TanStack/query#8815). Set once per page: every panel instance shares the notify manager.
 */
notifyManager.setScheduler(queueMicrotask);

export function createQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        retry: shouldRetry,
        retryDelay: (attempt) => Math.min(500 * 2 ** attempt, 4000),
        staleTime: 30_000,
        refetchOnWindowFocus: false,
      },
      mutations: { retry: false },
    },
  });
}
