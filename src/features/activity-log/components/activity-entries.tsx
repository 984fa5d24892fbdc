import Box from '@mui/material/Box';
import { memo } from 'react';
import { RelativeTime } from '../../../components/relative-time.tsx';
import { RouterLink } from '../../../components/router-link.tsx';
import { StatusChip } from '../../../components/status-chip.tsx';
import { useNow } from '../../../lib/use-now.ts';
import type { ActivityEntry, ChangeEntry } from '../activity-store.ts';
import { describeEntry } from '../activity-text.ts';
import { useChangeStatus, type ChangeStatus } from '../use-activity-log.ts';

/** Where an entry leads back to: its VM and network, and its task while that runs. */
interface ActivityTarget {
  vm: string;
  network: string;
  task: string | undefined;
}

const STATUS_LABELS: Record<ChangeStatus, string> = {
  running: 'Task running',
  completed: 'Task completed',
  failed: 'Task failed',
  not_followed: 'Not followed',
  refused: 'Refused',
  unknown: 'Outcome unknown',
};
/** The chip's colour: a change whose end is not followed here is "not seen", as in the audit log. */
const STATUS_COLOURS: Record<ChangeStatus, string> = {
  running: 'running',
  completed: 'completed',
  failed: 'failed',
  not_followed: 'not_seen',
  refused: 'rejected',
  unknown: 'not_seen',
};

/** Where an entry's link goes: a change whose end is not known yet also follows (or resumes following) its task. */
const targetOf = (e: ActivityEntry, status: ChangeStatus | undefined): ActivityTarget | { ip: string } =>
  // A lookup by IP address that led nowhere is opened as that lookup again.
  e.kind === 'lookup' && e.ip && e.error
    ? { ip: e.ip }
    : { vm: e.vm, network: e.network, task: e.kind === 'change' && e.taskId && (status === 'running' || status === 'not_followed') ? e.taskId : undefined };

export interface ActivityEntriesProps {
  entries: readonly ActivityEntry[];
  /** The tasks the panel follows now: a change's task not among them is not said to be running. */
  following: readonly string[];
}

/** The log's entries, newest first. */
export function ActivityEntries({ entries, following }: ActivityEntriesProps) {
  // One clock for the whole log: its relative times move on every 15 s (not a timer per row).
  const tick = useNow(15_000);
  const newestFirst = [...entries].reverse();
  return (
    <Box component="ol" aria-label="Activity entries" sx={{ m: 0, p: 0, listStyle: 'none' }}>
      {newestFirst.map((e) => (
        e.kind === 'change' ? (
          <ChangeRow key={e.id} entry={e} tick={tick} followed={following.includes(e.taskId)} />
        ) : (
          <LogRow key={e.id} entry={e} tick={tick} />
        )
      ))}
    </Box>
  );
}

/** A change's row: its status from its task's query. */
const ChangeRow = memo(function ChangeRow({ entry, tick, followed }: { entry: ChangeEntry; tick: number; followed: boolean }) {
  return <LogRow entry={entry} tick={tick} status={useChangeStatus(entry, followed)} />;
});

/** One entry; memoized, so a new entry does not render the rows already there. */
const LogRow = memo(function LogRow({ entry: e, tick, status }: { entry: ActivityEntry; tick: number; status?: ChangeStatus | undefined }) {
  const to = targetOf(e, status);
  // A change's task status as a chip; a failed lookup says so in its text ("Lookup failed: …").
  return (
    <Box
      component="li"
      sx={{
        display: 'grid',
        gridTemplateColumns: { xs: '1fr auto', sm: '7rem 1fr auto' },
        gap: 2,
        alignItems: 'baseline',
        px: 2.5,
        py: 1.25,
        borderTop: 1,
        borderColor: 'divider',
        '&:first-of-type': { borderTop: 0 },
        typography: 'body2',
      }}
    >
      <Box sx={{ color: 'text.secondary', display: { xs: 'none', sm: 'block' } }}>
        {/* The clock ticks every 15 s: an entry newer than its last tick is "now", not "in 5 seconds". */}
        <RelativeTime unixSeconds={e.at} nowMs={Math.max(tick, e.at * 1000)} />
      </Box>
      <Box sx={{ overflowWrap: 'anywhere' }}>
        {status ? (
          <Box component="span" sx={{ mr: 1 }}>
            <StatusChip label={STATUS_LABELS[status]} status={STATUS_COLOURS[status]} />
          </Box>
        ) : null}
        {describeEntry(e, status)}
      </Box>
      <RouterLink
        to="."
        search={to}
        aria-label={'ip' in to ? `Open IP address ${to.ip}` : `Open ${e.vmName ?? e.vm} on ${e.network}${to.task ? ` and follow task ${to.task}` : ''}`}
      >
        Open
      </RouterLink>
    </Box>
  );
});
