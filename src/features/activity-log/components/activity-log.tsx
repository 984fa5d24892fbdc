import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Divider from '@mui/material/Divider';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { memo, useId } from 'react';
import { CopyButton } from '../../../components/copy-button.tsx';
import { RelativeTime } from '../../../components/relative-time.tsx';
import { StatusChip } from '../../../components/status-chip.tsx';
import { useNow } from '../../../lib/use-now.ts';
import { RouterLink } from '../../../components/router-link.tsx';
import { activityStore, type ActivityEntry } from '../activity-store.ts';
import { activityText, describeEntry } from '../activity-text.ts';
import { useActivityEntries } from '../use-activity-log.ts';

/** Where an entry leads back to: its VM and network, and its task while that runs. */
export interface ActivityTarget {
  vm: string;
  network: string;
  task: string | undefined;
}

const STATUS_LABELS = { running: 'Task running', completed: 'Task completed', failed: 'Task failed' } as const;

const targetOf = (e: ActivityEntry): ActivityTarget => ({
  vm: e.vm,
  network: e.network,
  task: e.kind === 'change' && e.status === 'running' ? e.taskId : undefined,
});

/** This tab's lookups and changes, newest first, with a link back to each and a copy for tickets. */
export function ActivityLog() {
  const headingId = useId();
  const entries = useActivityEntries();
  // One clock for the whole log: its relative times move on every 15 s (not a timer per row).
  const tick = useNow(15_000);
  const newestFirst = [...entries].reverse();
  return (
    <Paper component="section" aria-labelledby={headingId}>
      <Stack direction="row" sx={{ justifyContent: 'space-between', alignItems: 'flex-start', gap: 2, px: 2.5, py: 1.5 }}>
        <div>
          <Typography id={headingId} component="h2" variant="h3">
            Activity this session
          </Typography>
          <Typography variant="body2" sx={{ color: 'text.secondary' }}>
            Lookups and changes made in this browser tab; forgotten when the tab closes.
          </Typography>
        </div>
        {entries.length > 0 ? (
          <Stack direction="row" sx={{ gap: 1, flexShrink: 0 }}>
            <CopyButton label="activity log" showLabel text={activityText(entries)} />
            <Button size="small" color="inherit" onClick={activityStore.clear}>
              Clear
            </Button>
          </Stack>
        ) : null}
      </Stack>
      <Divider />
      {entries.length === 0 ? (
        <Typography variant="body2" sx={{ color: 'text.secondary', px: 2.5, py: 2 }}>
          Nothing yet. Each lookup and speed change you make here is listed, ready to paste into a ticket.
        </Typography>
      ) : (
        <Box component="ol" aria-label="Activity entries" sx={{ m: 0, p: 0, listStyle: 'none' }}>
          {newestFirst.map((e) => (
            <LogRow key={e.id} entry={e} tick={tick} />
          ))}
        </Box>
      )}
    </Paper>
  );
}

/** One entry; memoized, so a new entry does not render the rows already there. */
const LogRow = memo(function LogRow({ entry: e, tick }: { entry: ActivityEntry; tick: number }) {
  const to = targetOf(e);
  // A change's task status as a chip; a failed lookup says so in its text ("Lookup failed: …").
  const status = e.kind === 'change' ? e.status : undefined;
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
            <StatusChip label={STATUS_LABELS[status]} status={status} />
          </Box>
        ) : null}
        {describeEntry(e)}
      </Box>
      <RouterLink
        to="."
        search={to}
        aria-label={`Open ${e.vmName ?? e.vm} on ${e.network}${to.task ? ` and follow task ${to.task}` : ''}`}
      >
        Open
      </RouterLink>
    </Box>
  );
});
