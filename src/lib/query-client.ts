import { QueryClient } from '@tanstack/react-query';
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
