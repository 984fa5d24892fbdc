import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import LinearProgress from '@mui/material/LinearProgress';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useEffect, useRef, useState } from 'react';
import type { Task } from '../../../api/types.ts';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { GIVE_UP_AFTER_MS, isTerminal, useTask } from '../api/get-task.ts';

export interface TaskProgressProps {
  taskId: string;
  /** What the task does, in words: "10 Gbps on eth0 of web-01". */
  summary: string;
  /** The PATCH answer, when this tab started the task; absent when resumed from a link. */
  initial?: Task | undefined;
  onFinished: (task: Task) => void;
  onDismiss: () => void;
}

const STATUS_WORDS: Record<string, string> = {
  pending: 'Queued: waiting for Katapult to start it',
  running: 'Running',
  completed: 'Completed',
  failed: 'Failed',
};

function useElapsed(running: boolean) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!running) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [running]);
  return now;
}

const duration = (ms: number) => {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
};

export function TaskProgress({ taskId, summary, initial, onFinished, onDismiss }: TaskProgressProps) {
  const [since, setSince] = useState(() => Date.now());
  const query = useTask(taskId, since, initial);
  const task = query.data;
  const terminal = isTerminal(task);
  const now = useElapsed(!terminal);
  const reported = useRef(false);
  // Keyboard and screen-reader users follow the change: focus moves to the task when this tab
  // started it, and to its result when it ends (unless they have moved on to another control).
  const sectionRef = useRef<HTMLDivElement>(null);
  const titleRef = useRef<HTMLElement>(null);
  const resultRef = useRef<HTMLDivElement>(null);
  const startedHere = initial !== undefined;
  useEffect(() => {
    if (startedHere) titleRef.current?.focus();
  }, [startedHere]);
  useEffect(() => {
    if (!terminal) return;
    const active = document.activeElement;
    if (!active || active === document.body || sectionRef.current?.contains(active)) resultRef.current?.focus();
  }, [terminal]);
  useEffect(() => {
    if (task && terminal && !reported.current) {
      reported.current = true;
      onFinished(task);
    }
  }, [task, terminal, onFinished]);

  const startedMs = (task?.started_at ?? task?.created_at ?? since / 1000) * 1000;
  const endMs = task?.finished_at ? task.finished_at * 1000 : now;
  const gaveUp = !terminal && !query.isFetching && now - since > GIVE_UP_AFTER_MS;
  const failure = query.failureReason;

  return (
    <Box component="section" aria-label="Task" ref={sectionRef} sx={{ mt: 2 }}>
      <Stack direction="row" sx={{ justifyContent: 'space-between', alignItems: 'center', gap: 1 }}>
        <Typography variant="subtitle2" ref={titleRef} tabIndex={-1} sx={{ overflowWrap: 'anywhere' }}>
          Changing to {summary} · task <code>{taskId}</code>
        </Typography>
        <Button size="small" onClick={onDismiss}>
          {terminal ? 'Dismiss' : 'Stop following'}
        </Button>
      </Stack>
      {!terminal ? (
        <>
          <LinearProgress
            aria-label="Task progress"
            variant={task?.progress !== undefined ? 'determinate' : 'indeterminate'}
            value={task?.progress ?? 0}
            sx={{ my: 1, height: 8, borderRadius: 4 }}
          />
          <Typography variant="body2" role="status">
            {task?.status ? STATUS_WORDS[task.status] : 'Asking Katapult about the task…'}
            {task?.progress !== undefined ? ` · ${task.progress}%` : ''} · {duration(endMs - startedMs)} elapsed
          </Typography>
        </>
      ) : null}
      {failure && !terminal ? (
        <Typography variant="body2" role="status" sx={{ color: 'warning.main' }}>
          {failure.code === 'rate_limit_reached'
            ? 'Katapult’s rate limit was reached; checking less often and carrying on.'
            : 'Katapult could not be reached; retrying with backoff.'}{' '}
          ({failure.code ?? `HTTP ${failure.status}`})
        </Typography>
      ) : null}
      {query.isError && !failure ? <ErrorAlert error={query.error} /> : null}
      {gaveUp ? (
        <Alert severity="warning" action={<Button onClick={() => setSince(Date.now())}>Check again</Button>}>
          The task is still not finished after {duration(GIVE_UP_AFTER_MS)}; the panel stopped checking.
        </Alert>
      ) : null}
      {task?.status === 'completed' ? (
        <Alert severity="success" ref={resultRef} tabIndex={-1} sx={{ mt: 1 }}>
          <AlertTitle>Completed</AlertTitle>
          The speed profile was changed in {duration(endMs - startedMs)}.
        </Alert>
      ) : null}
      {task?.status === 'failed' ? (
        <Alert severity="error" role="alert" ref={resultRef} tabIndex={-1} sx={{ mt: 1 }}>
          <AlertTitle>Failed</AlertTitle>
          Katapult could not apply the change; the interface keeps its previous speed profile. Try again, and if it
          fails again escalate to Katapult with task id {taskId}.
        </Alert>
      ) : null}
    </Box>
  );
}
