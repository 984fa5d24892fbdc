import { describe, expect, it, vi } from 'vitest';
import { errorFromBody } from '../../api/api-error.ts';
import type { Task } from '../../api/types.ts';
import { createQueryClient } from '../../lib/query-client.ts';
import { connectPanelEvents } from '../panel-events.ts';
import { auditKeys } from '../../api/audit.ts';
import { interfaceDetailKeys } from '../../api/interface.ts';
import { taskKeys } from '../../api/tasks.ts';

function setup() {
  const queryClient = createQueryClient();
  const onTaskFinished = vi.fn();
  const disconnect = connectPanelEvents(queryClient, onTaskFinished);
  const invalidate = vi.spyOn(queryClient, 'invalidateQueries');
  const invalidated = () => invalidate.mock.calls.map(([filters]) => JSON.stringify(filters?.queryKey));
  return { queryClient, onTaskFinished, disconnect, invalidated };
}

const AUDIT = JSON.stringify(auditKeys.all);
const INTERFACE_DETAIL = JSON.stringify(interfaceDetailKeys.all);

describe('the panel’s cache events', () => {
  it('tells the host of a task’s end once, and refreshes the interface and the audit then', () => {
    const { queryClient, onTaskFinished, invalidated } = setup();
    const task = (status: Task['status']): Task => ({ id: 'task_1', status });
    queryClient.setQueryData(taskKeys.detail('task_1'), task('running'));
    expect(onTaskFinished).not.toHaveBeenCalled();
    expect(invalidated()).toEqual([]);
    queryClient.setQueryData(taskKeys.detail('task_1'), task('completed'));
    queryClient.setQueryData(taskKeys.detail('task_1'), { ...task('completed'), progress: 100 });
    expect(onTaskFinished).toHaveBeenCalledTimes(1);
    expect(onTaskFinished).toHaveBeenCalledWith(expect.objectContaining({ id: 'task_1', status: 'completed' }));
    expect(invalidated()).toEqual([INTERFACE_DETAIL, AUDIT]);
  });

  it('refreshes the audit once a change is answered, accepted or refused', async () => {
    const { queryClient, invalidated } = setup();
    const change = (mutationFn: () => Promise<Task>) =>
      queryClient.getMutationCache().build(queryClient, { mutationFn }).execute(undefined).catch(() => undefined);
    await change(() => Promise.resolve({ id: 'task_2', status: 'pending' }));
    expect(invalidated()).toEqual([AUDIT]);
    await change(() => Promise.reject(errorFromBody(503, JSON.stringify({ error: { code: 'audit_unavailable' } }))));
    expect(invalidated()).toEqual([AUDIT, AUDIT]);
  });

  it('stops listening when the panel is disposed', () => {
    const { queryClient, onTaskFinished, disconnect } = setup();
    disconnect();
    queryClient.setQueryData(taskKeys.detail('task_3'), { id: 'task_3', status: 'failed' });
    expect(onTaskFinished).not.toHaveBeenCalled();
  });
});
