import { queryOptions, useQuery } from '@tanstack/react-query';
import * as z from 'zod/mini';
import type { ApiError } from '../../../api/api-error.ts';
import { request, type ApiClient } from '../../../api/client.ts';
import { task as taskGuard } from '../../../api/guards.ts';
import type { Task } from '../../../api/types.ts';
import { useApi } from '../../../lib/panel-config.tsx';

export const taskKeys = {
  all: ['task'] as const,
  detail: (taskId: string) => [...taskKeys.all, taskId] as const,
};

export const isTerminal = (t: Task | undefined) => t?.status === 'completed' || t?.status === 'failed';

/** Polling schedule: 0.5 s, growing by half each time, at most 5 s. */
export const FIRST_INTERVAL_MS = 500;
export const MAX_INTERVAL_MS = 5000;
export const nextInterval = (polls: number) => Math.min(MAX_INTERVAL_MS, Math.round(FIRST_INTERVAL_MS * 1.5 ** polls));
/** After this long without an end, stop and offer "Check again". */
export const GIVE_UP_AFTER_MS = 10 * 60_000;

/** How long to wait before trying again after a failed poll: Katapult's rate limit, or backoff. */
export function pollRetryDelay(failures: number, error: ApiError): number {
  if (error.code === 'rate_limit_reached') {
    const perMinute = typeof error.detail.total_permitted === 'number' ? error.detail.total_permitted : 0;
    return Math.max(5000, perMinute > 0 ? Math.ceil(60_000 / perMinute) * 2 : 15_000);
  }
  return Math.min(1000 * 2 ** failures, 15_000);
}
/** Keep trying through rate limits, outages and lost connections; not through answers that cannot heal. */
export const pollShouldRetry = (_failures: number, error: ApiError) =>
  error.kind === 'network' || error.status === 429 || error.status >= 500;

export async function getTask(api: ApiClient, taskId: string, signal?: AbortSignal): Promise<Task> {
  const body = await request(
    api.GET('/tasks/task', { params: { query: { 'task[id]': taskId } }, signal }),
    z.looseObject({ task: taskGuard }),
    'a task',
  );
  return body.task;
}

/** The next poll, from the latest task: false once it is terminal or we have followed it too long. */
export function taskRefetchInterval(task: Task | undefined, polls: number, followingSince: number): number | false {
  if (isTerminal(task)) return false;
  if (Date.now() - followingSince > GIVE_UP_AFTER_MS) return false;
  return nextInterval(polls);
}

export const taskOptions = (api: ApiClient, taskId: string, followingSince: number) =>
  queryOptions({
    queryKey: taskKeys.detail(taskId),
    queryFn: ({ signal }) => getTask(api, taskId, signal),
    refetchInterval: (query) => taskRefetchInterval(query.state.data, query.state.dataUpdateCount, followingSince),
    refetchIntervalInBackground: true,
    staleTime: Infinity,
    retry: pollShouldRetry,
    retryDelay: pollRetryDelay,
  });

export function useTask(taskId: string, followingSince: number, initial?: Task) {
  const api = useApi();
  return useQuery({
    ...taskOptions(api, taskId, followingSince),
    ...(initial ? { initialData: initial } : {}),
  });
}
