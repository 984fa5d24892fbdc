import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Link from '@mui/material/Link';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { memo, useId } from 'react';
import { CopyButton } from '../../../components/copy-button.tsx';
import { StatusChip } from '../../../components/status-chip.tsx';
import { RelativeTime } from '../../../components/relative-time.tsx';
import { locationSearch, type PanelLocation } from '../../../lib/url-state.ts';
import type { ActivityEntry } from '../activity-store.ts';
import { activityText, describeEntry } from '../activity-text.ts';

export interface ActivityLogProps {
  entries: readonly ActivityEntry[];
  /** Go back to an entry's VM and network (and its task). */
  onOpen: (to: PanelLocation) => void;
  onClear: () => void;
}

const STATUS_CHIP = {
  running: { label: 'Task running', color: 'info' },
  completed: { label: 'Task completed', color: 'success' },
  failed: { label: 'Task failed', color: 'error' },
} as const;

const target = (e: ActivityEntry): PanelLocation => ({
  vm: e.vm,
  network: e.network,
  task: e.kind === 'change' && e.status === 'running' ? e.taskId : undefined,
});

/** This tab's lookups and changes, newest first, with a link back to each and a copy for tickets. */
/**
 * Memoized: the panel re-renders on every query update (a lookup's answer, each task poll), and the
 * log only needs to when its entries change (keep `onOpen`/`onClear` stable).
 */
export const ActivityLog = memo(function ActivityLog({ entries, onOpen, onClear }: ActivityLogProps) {
  const headingId = useId();
  const newestFirst = [...entries].reverse();
  return (
    <Paper component="section" aria-labelledby={headingId} variant="outlined" sx={{ mt: 4, p: { xs: 2, sm: 2.5 } }}>
      <Stack direction="row" sx={{ alignItems: 'center', justifyContent: 'space-between', gap: 1, flexWrap: 'wrap' }}>
        <Box>
          <Typography id={headingId} component="h2" variant="subtitle1" sx={{ fontWeight: 600 }}>
            Activity this session
          </Typography>
          <Typography variant="body2" sx={{ color: 'text.secondary' }}>
            Lookups and changes made in this browser tab; forgotten when the tab closes.
          </Typography>
        </Box>
        {entries.length > 0 ? (
          <Stack direction="row" sx={{ gap: 1 }}>
            <CopyButton label="activity log" showLabel text={activityText(entries)} />
            <Button size="small" color="inherit" onClick={onClear}>
              Clear
            </Button>
          </Stack>
        ) : null}
      </Stack>
      {entries.length === 0 ? (
        <Typography variant="body2" sx={{ mt: 1.5, color: 'text.secondary' }}>
          Nothing yet. Each lookup and speed change you make here is listed, ready to paste into a ticket.
        </Typography>
      ) : (
        <Box component="ol" aria-label="Activity entries" sx={{ listStyle: 'none', m: 0, mt: 1.5, p: 0 }}>
          {newestFirst.map((e) => {
            const to = target(e);
            return (
              <Box
                component="li"
                key={e.id}
                sx={{
                  display: 'grid',
                  gridTemplateColumns: { xs: '1fr', sm: '7rem 1fr auto' },
                  gap: { xs: 0.25, sm: 2 },
                  py: 1,
                  borderTop: 1,
                  borderColor: 'divider',
                  alignItems: 'baseline',
                }}
              >
                <Typography variant="body2" sx={{ color: 'text.secondary' }}>
                  <RelativeTime unixSeconds={e.at} />
                </Typography>
                <Typography variant="body2" component="div" sx={{ overflowWrap: 'anywhere', minWidth: 0 }}>
                  {e.kind === 'change' ? (
                    <StatusChip label={STATUS_CHIP[e.status].label} colour={STATUS_CHIP[e.status].color} />
                  ) : e.error ? (
                    <StatusChip label="Lookup failed" colour="error" />
                  ) : null}
                  {describeEntry(e)}
                </Typography>
                <Link
                  href={locationSearch(to) || '?'}
                  variant="body2"
                  onClick={(ev) => {
                    ev.preventDefault();
                    onOpen(to);
                  }}
                  aria-label={`Open ${e.vmName ?? e.vm} on ${e.network}${to.task ? ` and follow task ${to.task}` : ''}`}
                  sx={{ whiteSpace: 'nowrap' }}
                >
                  Open
                </Link>
              </Box>
            );
          })}
        </Box>
      )}
    </Paper>
  );
});
