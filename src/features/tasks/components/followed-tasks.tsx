import Stack from '@mui/material/Stack';
import { RouterLink } from '../../../components/router-link.tsx';
import type { FollowedTaskView } from '../followed.ts';
import { TaskProgress } from './task-progress.tsx';

export interface FollowedTasksProps {
  /** `shown`: its interface is on screen; `reveal`: what is above it has settled (see TaskProgress). */
  tasks: readonly (FollowedTaskView & { shown: boolean; reveal: boolean })[];
  onDismiss: (taskId: string) => void;
}

/** The speed-profile tasks the panel follows, each with its progress and, when another interface is shown, a link back. */
export function FollowedTasks({ tasks, onDismiss }: FollowedTasksProps) {
  if (tasks.length === 0) return null;
  return (
    <Stack sx={{ gap: 2 }}>
      {tasks.map((t) => (
        <TaskProgress key={t.taskId} taskId={t.taskId} summary={t.summary} startedHere={t.startedHere} reveal={t.reveal} onDismiss={() => onDismiss(t.taskId)}>
          {!t.shown ? (
            <RouterLink to="." search={{ vm: t.vm, network: t.network, task: t.taskId }}>
              Show {t.vm} on {t.network}
            </RouterLink>
          ) : null}
        </TaskProgress>
      ))}
    </Stack>
  );
}
