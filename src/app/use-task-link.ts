/**
 * `&task=` is for following a running change: once its task has ended, it leaves the address bar
 * (so the link pasted into a ticket is the interface's, not a finished task's), and the task stays
 * listed with its result.
 */
import { useNavigate } from '@tanstack/react-router';
import { useEffect } from 'react';
import type { FollowedTask, FollowedTaskView } from '../features/tasks/followed.ts';

export function useTaskLeavesUrl(task: string | undefined, tasks: readonly FollowedTaskView[], keep: (t: FollowedTask) => void) {
  const navigate = useNavigate();
  const ended = tasks.find((t) => t.taskId === task && (t.status === 'completed' || t.status === 'failed'));
  const endedId = ended?.taskId;
  useEffect(() => {
    if (!ended) return;
    const { status: _status, ...followedTask } = ended;
    keep(followedTask);
    void navigate({ to: '.', search: (s) => ({ ...s, task: undefined }), replace: true });
    // Once per task that ends: `ended` is a new object on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [endedId]);
}
