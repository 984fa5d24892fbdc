import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import LinearProgress from '@mui/material/LinearProgress';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { errorLabel } from '../../../api/error-messages.ts';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { formatDuration } from '../../../lib/format.ts';
import { isTransient, scheduledRetryMs } from '../../../lib/query-client.ts';
import { useNow } from '../../../lib/use-now.ts';
import { GIVE_UP_AFTER_MS, isTerminal } from '../../../api/tasks.ts';
import { useTask } from '../use-task.ts';

export interface TaskProgressProps {
  taskId: string;
  /** What the task does, in words: "10 Gbps on eth0 of web-01 (was 1 Gbps)". */
  summary: string;
  /** This tab started the task (rather than resuming it from a link): focus follows it. */
  startedHere?: boolean | undefined;
  onDismiss: () => void;
  /**
   * A resumed task is brought into view once this is true: when what is above it (the looked-up
   * card) has its answer, so the card growing does not push the task back out of view.
   */
  reveal?: boolean | undefined;
  /** Under the heading: e.g. a link back to the interface, when another one is shown. */
  children?: ReactNode;
}


const STOP_FOLLOWING = 'Stop following only stops this panel checking on it: the change goes on at Katapult.';

export function TaskProgress({ taskId, summary, startedHere = false, onDismiss, reveal = true, children }: TaskProgressProps) {
  const headingId = useId();
  const stopId = useId();
  const [since, setSince] = useState(() => Date.now());
  const query = useTask(taskId, since);
  const task = query.data;
  const terminal = isTerminal(task);
  // The elapsed time's clock ticks while the task runs (display only: polling is react-query's).
  const now = useNow(terminal ? undefined : 1000);
  // Keyboard and screen-reader users follow the change: focus moves to the task when this tab
  // started it, and to its result when it ends (unless they have moved on to another control).
  const sectionRef = useRef<HTMLDivElement>(null);
  const titleRef = useRef<HTMLHeadingElement>(null);
  const resultRef = useRef<HTMLDivElement>(null);
  const revealed = useRef(false);
  useEffect(() => {
    // Started here: the user follows it from the change. Resumed (a reload, a link): bring it into view, once.
    if (startedHere) titleRef.current?.focus();
    else if (reveal && !revealed.current) {
      revealed.current = true;
      sectionRef.current?.scrollIntoView?.({ block: 'center' });
    }
  }, [startedHere, reveal]);
  useEffect(() => {
    if (!terminal) return;
    const active = document.activeElement;
    // Without scrolling: the result is announced (an alert), and the page stays where the user is.
    if (!active || active === document.body || sectionRef.current?.contains(active)) resultRef.current?.focus({ preventScroll: true });
  }, [terminal]);

  // Katapult's timestamps when it gave them; otherwise from when this panel started following.
  const startMs = task?.created_at !== undefined ? task.created_at * 1000 : since;
  const endMs = terminal && task?.finished_at ? task.finished_at * 1000 : Math.max(now, startMs);
  const elapsed = formatDuration(endMs - startMs);
  const failure = query.failureReason;
  const transientFailure = !terminal && query.isFetching && failure !== null && isTransient(failure);
  const nextCheck = formatDuration(scheduledRetryMs(query));
  const hardError = !terminal && query.isError && !isTransient(query.error) ? query.error : null;
  const gaveUp = !terminal && !query.isFetching && !hardError && now - since > GIVE_UP_AFTER_MS;
  const checkAgain = () => {
    setSince(Date.now());
    void query.refetch();
  };
  const heading =
    task?.status === 'completed' ? `Changed to ${summary}` : task?.status === 'failed' ? `Change to ${summary}` : `Changing to ${summary}`;

  return (
    <Paper component="section" aria-labelledby={headingId} ref={sectionRef} sx={{ p: 2 }}>
      <Stack direction="row" sx={{ justifyContent: 'space-between', alignItems: 'flex-start', gap: 1 }}>
        <Box sx={{ minWidth: 0 }}>
          <Typography id={headingId} ref={titleRef} tabIndex={-1} component="h2" variant="subtitle1" sx={{ fontWeight: 600, overflowWrap: 'anywhere' }}>
            {heading}
          </Typography>
          <Typography variant="body2" sx={{ color: 'text.secondary', overflowWrap: 'anywhere' }}>
            Task <code>{taskId}</code>
          </Typography>
          {children}
          {!terminal ? (
            <Typography id={stopId} variant="caption" sx={{ color: 'text.secondary', display: 'block' }}>
              {STOP_FOLLOWING}
            </Typography>
          ) : null}
        </Box>
        {terminal ? (
          <Button size="small" onClick={onDismiss} sx={{ flexShrink: 0 }}>
            Dismiss
          </Button>
        ) : (
          <Button size="small" onClick={onDismiss} aria-describedby={stopId} sx={{ flexShrink: 0 }}>
            Stop following
          </Button>
        )}
      </Stack>
      {!terminal ? (
        <>
          <LinearProgress
            aria-label="Task progress"
            variant={task?.status === 'running' && task.progress !== undefined ? 'determinate' : 'indeterminate'}
            value={task?.progress ?? 0}
            sx={{ my: 1.5, height: 6, borderRadius: 3 }}
          />
          <Typography variant="body2">
            {task?.status === 'running' ? (
              <>
                <span role="status">Running{task.progress !== undefined ? ` · ${task.progress}%` : ''}</span>
                {` · ${elapsed} elapsed`}
              </>
            ) : (
              <span role="status">{task?.status === 'pending' ? 'Queued: waiting for Katapult to start it' : 'Asking Katapult about the task…'}</span>
            )}
          </Typography>
        </>
      ) : null}
      {transientFailure && failure ? (
        <Alert severity="warning" role="status" sx={{ mt: 1 }}>
          {failure.status === 429
            ? `Katapult’s rate limit was reached${typeof failure.detail.total_permitted === 'number' ? ` (${failure.detail.total_permitted} requests a minute)` : ''}: checking less often, next check in about ${nextCheck}.`
            : failure.kind === 'network'
              ? `The panel cannot reach its server: still trying, next check in about ${nextCheck}.`
              : `Katapult is not answering properly: still trying, next check in about ${nextCheck}.`}{' '}
          The task itself carries on at Katapult. Code: {errorLabel(failure)}
        </Alert>
      ) : null}
      {hardError ? (
        <Box sx={{ mt: 1 }}>
          <ErrorAlert
            error={hardError}
            action={
              <Button color="inherit" size="small" onClick={checkAgain}>
                Check again
              </Button>
            }
          />
        </Box>
      ) : null}
      {gaveUp ? (
        <Alert
          severity="warning"
          sx={{ mt: 1 }}
          action={
            <Button color="inherit" size="small" onClick={checkAgain}>
              Check again
            </Button>
          }
        >
          The task has not finished after {formatDuration(GIVE_UP_AFTER_MS)}, so the panel stopped checking. It may still be
          running at Katapult.
          {query.isError ? ` Last answer: ${errorLabel(query.error)}.` : ''}
        </Alert>
      ) : null}
      {task?.status === 'completed' ? (
        <Alert severity="success" ref={resultRef} tabIndex={-1} sx={{ mt: 1 }}>
          <AlertTitle>Completed</AlertTitle>
          The speed profile was changed in {elapsed}. The card shows the profile Katapult now reports.
        </Alert>
      ) : null}
      {task?.status === 'failed' ? (
        <Alert severity="error" role="alert" ref={resultRef} tabIndex={-1} sx={{ mt: 1 }}>
          <AlertTitle>Failed</AlertTitle>
          Katapult could not apply the change{task.progress !== undefined ? ` (stopped at ${task.progress}%)` : ''}; the card
          shows the profile it reports now. Try the change once more; if it fails again, escalate to Katapult quoting task{' '}
          <code>{taskId}</code>.
        </Alert>
      ) : null}
    </Paper>
  );
}
