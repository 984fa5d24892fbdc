import { useQuery } from '@tanstack/react-query';
import { taskOptions } from '../../api/tasks.ts';
import type { Task } from '../../api/types.ts';
import { useApi } from '../../lib/panel-config.tsx';

/** A followed task, polled until it ends (see taskOptions). */
export function useTask(taskId: string, followingSince: number, initial?: Task) {
  const api = useApi();
  return useQuery(taskOptions(api, taskId, followingSince, initial));
}
