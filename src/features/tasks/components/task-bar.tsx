import LinearProgress from '@mui/material/LinearProgress';
import { useState } from 'react';
import { isTerminal } from '../../../api/tasks.ts';
import { useTask } from '../use-task.ts';

/**
 * The progress of a task this panel did not start (a colleague's change): the bar only, from the
 * same task query as a followed task, which the panel's server answers from what it follows itself.
 */
export function TaskBar({ taskId }: { taskId: string }) {
  const [since] = useState(() => Date.now());
  const task = useTask(taskId, since).data;
  if (isTerminal(task)) return null;
  const known = task?.status === 'running' && task.progress !== undefined;
  return (
    <LinearProgress
      aria-label="Task progress"
      variant={known ? 'determinate' : 'indeterminate'}
      value={task?.progress ?? 0}
      sx={{ height: 6, borderRadius: 3 }}
    />
  );
}
