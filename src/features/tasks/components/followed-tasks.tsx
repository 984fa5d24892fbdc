import Link from '@mui/material/Link';
import Stack from '@mui/material/Stack';
import type { Task } from '../../../api/types.ts';
import { locationSearch } from '../../../lib/url-state.ts';
import { TaskProgress } from './task-progress.tsx';

/** A task the panel follows, as the app keeps it. */
export interface FollowedTask {
  taskId: string;
  /** The lookup it was started from, as typed (for the link back). */
  vm: string;
  network: string;
  /** Known when this tab started it; a task resumed from a bare link is matched by vm + network. */
  interfaceId?: string | undefined;
  /** The profile it changes to, when this tab (or this tab before a reload) started it. */
  to?: string | undefined;
  summary: string;
  /** The PATCH's answer, when this page started it (not after a reload). */
  initial?: Task | undefined;
}

export interface FollowedTasksProps {
  /** `shown`: its interface is on screen; `reveal`: what is above it has settled (see TaskProgress). */
  tasks: readonly (FollowedTask & { shown: boolean; reveal: boolean })[];
  onFinished: (task: Task) => void;
  onDismiss: (taskId: string) => void;
  /** Show the interface a task changes (when another one is shown now). */
  onOpen: (task: FollowedTask) => void;
}

/** The speed-profile tasks the panel follows, each with its progress and, when another interface is shown, a link back. */
export function FollowedTasks({ tasks, onFinished, onDismiss, onOpen }: FollowedTasksProps) {
  if (tasks.length === 0) return null;
  return (
    <Stack sx={{ gap: 2 }}>
      {tasks.map((t) => (
        <TaskProgress key={t.taskId} taskId={t.taskId} summary={t.summary} initial={t.initial} reveal={t.reveal} onFinished={onFinished} onDismiss={() => onDismiss(t.taskId)}>
          {!t.shown ? (
            <Link
              href={locationSearch({ vm: t.vm, network: t.network, task: t.taskId })}
              onClick={(e) => {
                e.preventDefault();
                onOpen(t);
              }}
            >
              Show {t.vm} on {t.network}
            </Link>
          ) : null}
        </TaskProgress>
      ))}
    </Stack>
  );
}
