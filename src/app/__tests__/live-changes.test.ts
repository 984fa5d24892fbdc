import { describe, expect, it, vi } from 'vitest';
import type { AuditEntry, AuditPage } from '../../../protocol/audit.ts';
import type { ChangeEvent } from '../../../protocol/events.ts';
import { auditKeys } from '../../api/audit.ts';
import { interfaceDetailKeys } from '../../api/interface.ts';
import { makeEntry } from '../../features/audit/testing/audit-fixture.ts';
import { taskKeys } from '../../api/tasks.ts';
import type { Task } from '../../api/types.ts';
import { createQueryClient } from '../../lib/query-client.ts';
import { applyChangeEvent } from '../live-changes.ts';

const NOW = Date.parse('2026-12-01T09:00:00.000Z');
const live = (over: Partial<AuditEntry> = {}): AuditEntry => ({ ...makeEntry(NOW, 1), updated_at: '2026-12-01T09:00:00.000Z', ...over });

function setup() {
  const queryClient = createQueryClient();
  const invalidate = vi.spyOn(queryClient, 'invalidateQueries');
  const invalidated = () => invalidate.mock.calls.map(([filters]) => JSON.stringify(filters?.queryKey));
  return { queryClient, invalidated };
}

describe('a change event from the server', () => {
  it('puts the record in place in every list that shows it, and leaves a newer copy alone', () => {
    const { queryClient } = setup();
    const running = live({ outcome: 'running', updated_at: '2026-12-01T09:00:01.000Z' });
    const other = live({ interface_id: running.interface_id });
    const list = auditKeys.list({ user: 'ana@example.com' });
    queryClient.setQueryData<AuditPage>(auditKeys.recent(running.interface_id), { entries: [running, other], next_cursor: null });
    queryClient.setQueryData<AuditPage>(list, { entries: [other, running], next_cursor: 'c' });

    const completed = { ...running, outcome: 'completed' as const, updated_at: '2026-12-01T09:00:05.000Z' };
    applyChangeEvent(queryClient, { kind: 'ended', entry: completed });
    expect(queryClient.getQueryData<AuditPage>(auditKeys.recent(running.interface_id))?.entries.map((e) => e.outcome)).toEqual(['completed', 'completed']);
    expect(queryClient.getQueryData<AuditPage>(list)).toMatchObject({ entries: [other, completed], next_cursor: 'c' });

    // A late event of an older state does not undo the newer one.
    applyChangeEvent(queryClient, { kind: 'progress', entry: running });
    expect(queryClient.getQueryData<AuditPage>(list)?.entries[1]).toEqual(completed);
  });

  it('puts a change new to the card on top of its recent changes, keeping five', () => {
    const { queryClient } = setup();
    const old = Array.from({ length: 5 }, () => live());
    const key = auditKeys.recent(old[0]!.interface_id);
    queryClient.setQueryData<AuditPage>(key, { entries: old, next_cursor: 'c' });
    const started = live({ outcome: 'pending', task_id: null });
    applyChangeEvent(queryClient, { kind: 'started', entry: started });
    const ids = queryClient.getQueryData<AuditPage>(key)?.entries.map((e) => e.id);
    expect(ids).toEqual([started.id, ...old.slice(0, 4).map((e) => e.id)]);
  });

  it('invalidates what the change made stale: the lists on a start or an end, and the interface once completed', () => {
    const event = (kind: ChangeEvent['kind'], over: Partial<AuditEntry>): ChangeEvent => ({ kind, entry: live({ task_id: 'task_9', ...over }) });
    const AUDIT = JSON.stringify(auditKeys.all);

    let { queryClient, invalidated } = setup();
    applyChangeEvent(queryClient, event('progress', { outcome: 'running' }));
    expect(invalidated()).toEqual([]);

    ({ queryClient, invalidated } = setup());
    applyChangeEvent(queryClient, event('ended', { outcome: 'failed' }));
    expect(invalidated()).toEqual([AUDIT]);

    ({ queryClient, invalidated } = setup());
    const completed = event('ended', { outcome: 'completed' });
    applyChangeEvent(queryClient, completed);
    expect(invalidated()).toEqual([AUDIT, JSON.stringify(interfaceDetailKeys.detail(completed.entry.interface_id))]);
  });

  it('moves a task this panel shows on to the follower’s progress and end, without asking for it again', () => {
    const { queryClient } = setup();
    const key = taskKeys.detail('task_9');
    const fetches = vi.fn();
    queryClient.setQueryData<Task>(key, { id: 'task_9', status: 'pending' });
    queryClient.getQueryCache().subscribe((e) => e.type === 'updated' && e.action.type === 'fetch' && fetches());
    applyChangeEvent(queryClient, { kind: 'progress', entry: live({ task_id: 'task_9', outcome: 'running', task_progress: 40 }) });
    expect(queryClient.getQueryData<Task>(key)).toEqual({ id: 'task_9', status: 'running', progress: 40 });
    const ended = live({ task_id: 'task_9', outcome: 'completed', ended_at: '2026-12-01T09:00:07.000Z' });
    applyChangeEvent(queryClient, { kind: 'ended', entry: ended });
    expect(queryClient.getQueryData<Task>(key)).toEqual({ id: 'task_9', status: 'completed', progress: 100, finished_at: Date.parse('2026-12-01T09:00:07.000Z') / 1000 });
    // An ended task stays as it ended; a task nobody here follows is not added.
    applyChangeEvent(queryClient, { kind: 'progress', entry: live({ task_id: 'task_9', outcome: 'running', task_progress: 50 }) });
    expect(queryClient.getQueryData<Task>(key)?.status).toBe('completed');
    applyChangeEvent(queryClient, { kind: 'progress', entry: live({ task_id: 'task_other', outcome: 'running', task_progress: 50 }) });
    expect(queryClient.getQueryData(taskKeys.detail('task_other'))).toBeUndefined();
    expect(fetches).not.toHaveBeenCalled();
  });
});
