/** Katapult's tasks: a speed change is one, polled until it ends. */
import { queryOptions } from '@tanstack/react-query';
import { isTransient } from '../lib/query-client.ts';
import { request, type ApiClient } from './client.ts';
import { guards } from './guards.ts';
import type { Task } from './types.ts';

export const taskKeys = {
  all: ['task'] as const,
  detail: (taskId: string) => [...taskKeys.all, taskId] as const,
};

export const isTerminal = (t: Task | undefined) => t?.status === 'completed' || t?.status === 'failed';

/**
 * Polling schedule: every second for the first answers (most changes end within seconds, and a 1 s
 * step keeps the lag under a second at ≤ 1 request/s), then growing by a quarter each time, at most 5 s.
 */
export const FIRST_INTERVAL_MS = 1000;
export const FAST_POLLS = 11;
export const MAX_INTERVAL_MS = 5000;
export const nextInterval = (polls: number) =>
  polls < FAST_POLLS
    ? FIRST_INTERVAL_MS
    : Math.min(MAX_INTERVAL_MS, Math.round(FIRST_INTERVAL_MS * 1.25 ** (polls - FAST_POLLS + 1)));
/** After this long without an end, stop and offer "Check again". */
export const GIVE_UP_AFTER_MS = 10 * 60_000;

export async function getTask(api: ApiClient, taskId: string, signal?: AbortSignal): Promise<Task> {
  const body = await request(
    api.GET('/tasks/task', { params: { query: { 'task[id]': taskId } }, signal }),
    guards.taskAnswer,
    'a task',
  );
  return body.task;
}

/**
 * A followed task: polled until it is terminal, or until `followingSince` is GIVE_UP_AFTER_MS ago.
 * `initial` is the PATCH's answer (no GET needed to show it).
 */
export function taskOptions(api: ApiClient, taskId: string, followingSince: number, initial?: Task) {
  const followed = () => Date.now() - followingSince < GIVE_UP_AFTER_MS;
  return queryOptions({
    queryKey: taskKeys.detail(taskId),
    queryFn: ({ signal }) => getTask(api, taskId, signal),
    ...(initial ? { initialData: initial } : {}),
    refetchInterval: (query) =>
      isTerminal(query.state.data) || query.state.status === 'error' || !followed() ? false : nextInterval(query.state.dataUpdateCount),
    refetchIntervalInBackground: true,
    refetchOnReconnect: false,
    staleTime: Infinity,
    // The shared policy's delays, but a followed task keeps trying through transient failures until it is given up on.
    retry: (_count, error) => isTransient(error) && followed(),
  });
}
