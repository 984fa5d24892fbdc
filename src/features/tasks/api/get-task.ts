import { queryOptions, useQuery } from '@tanstack/react-query';
import type { ApiError } from '../../../api/api-error.ts';
import { request, type ApiClient } from '../../../api/client.ts';
import { guards } from '../../../api/guards.ts';
import type { Task } from '../../../api/types.ts';
import { useApi } from '../../../lib/panel-config.tsx';

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

/** The gap between requests that keeps within Katapult's per-minute limit, when a 429 told us it. */
export const rateLimitGapMs = (error: ApiError | null | undefined): number | undefined => {
  if (error?.code !== 'rate_limit_reached' && error?.status !== 429) return undefined;
  const perMinute = error.detail.total_permitted;
  return typeof perMinute === 'number' && perMinute > 0 ? Math.ceil(60_000 / perMinute) : undefined;
};

/**
 * How long to wait before trying again after a failed poll (`failures` counts from 0).
 * 429: 5 s doubling up to a minute, and never closer than the per-minute limit allows.
 * 503 / network: 1 s doubling up to 15 s.
 */
export function pollRetryDelay(failures: number, error: ApiError): number {
  if (error.status === 429) return Math.min(60_000, Math.max(rateLimitGapMs(error) ?? 0, 5000 * 2 ** failures));
  return Math.min(1000 * 2 ** failures, 15_000);
}

/** Failures that heal by themselves: rate limits, outages, lost connections. Others stop the polling. */
export const isTransient = (error: ApiError) => error.kind === 'network' || error.status === 429 || error.status >= 500;

export async function getTask(api: ApiClient, taskId: string, signal?: AbortSignal): Promise<Task> {
  const body = await request(
    api.GET('/tasks/task', { params: { query: { 'task[id]': taskId } }, signal }),
    guards.taskAnswer,
    'a task',
  );
  return body.task;
}

export interface PollState {
  task: Task | undefined;
  /** How many answers arrived so far (react-query's dataUpdateCount). */
  polls: number;
  /** The query ended in an error that retrying did not heal (403, 404 task_not_found…). */
  failed: boolean;
  /** Now minus when following started (or "Check again" was pressed). */
  followedForMs: number;
  /** Smallest gap that Katapult's rate limit allows, once a 429 told it. */
  minGapMs?: number | undefined;
}

/** The next poll, from the latest task: `false` once it is terminal, hopeless or followed too long. */
export function taskRefetchInterval({ task, polls, failed, followedForMs, minGapMs }: PollState): number | false {
  if (isTerminal(task) || failed) return false;
  if (followedForMs > GIVE_UP_AFTER_MS) return false;
  return Math.max(nextInterval(polls), minGapMs ?? 0);
}

/** A poll's answer: the task, and the smallest gap between polls that a 429 has asked for so far. */
export interface TaskPoll {
  task: Task;
  minGapMs?: number | undefined;
}

export function taskOptions(api: ApiClient, taskId: string, followingSince: number, initial?: Task) {
  return queryOptions({
    queryKey: taskKeys.detail(taskId),
    queryFn: async ({ signal, client, queryKey }): Promise<TaskPoll> => {
      // A 429 before this attempt (or an earlier poll's) sets the pace from now on.
      const state = client.getQueryState<TaskPoll>(queryKey);
      const gaps = [state?.data?.minGapMs, rateLimitGapMs(state?.fetchFailureReason)].filter((g) => g !== undefined);
      return { task: await getTask(api, taskId, signal), minGapMs: gaps.length > 0 ? Math.max(...gaps) : undefined };
    },
    ...(initial ? { initialData: { task: initial } } : {}),
    refetchInterval: (query) =>
      taskRefetchInterval({
        task: query.state.data?.task,
        polls: query.state.dataUpdateCount,
        failed: query.state.status === 'error',
        followedForMs: Date.now() - followingSince,
        minGapMs: query.state.data?.minGapMs,
      }),
    refetchIntervalInBackground: true,
    refetchOnReconnect: false,
    staleTime: Infinity,
    // Overrides the shared policy: a followed task keeps trying through transient failures until the give-up deadline.
    retry: (_failures: number, error: ApiError) => isTransient(error) && Date.now() - followingSince < GIVE_UP_AFTER_MS,
    retryDelay: pollRetryDelay,
  });
}

/**
 * Follows a task until it is terminal. `initial` is the PATCH's answer (no GET needed to show it);
 * without it (resumed from a link) the first GET goes out at once.
 */
export function useTask(taskId: string, followingSince: number, initial?: Task) {
  const api = useApi();
  return useQuery({ ...taskOptions(api, taskId, followingSince, initial), select: (poll) => poll.task });
}
