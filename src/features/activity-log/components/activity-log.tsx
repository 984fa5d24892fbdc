import Button from '@mui/material/Button';
import Divider from '@mui/material/Divider';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useId } from 'react';
import { taskOptions } from '../../../api/tasks.ts';
import { CopyButton } from '../../../components/copy-button.tsx';
import { activityStore } from '../activity-store.ts';
import { activityText } from '../activity-text.ts';
import { useApi } from '../../../lib/panel-config.tsx';
import { changeStatus, NOT_FOLLOWING, useActivityEntries } from '../use-activity-log.ts';

// Not on the first screen (a new tab's log is empty): the rows, with their times, chips and links.
const ActivityEntries = lazy(() => import('./activity-entries.tsx').then((m) => ({ default: m.ActivityEntries })));

/** This tab's lookups and changes, newest first, with a link back to each and a copy for tickets. */
export function ActivityLog({ following }: { following: readonly string[] }) {
  const headingId = useId();
  const entries = useActivityEntries();
  const queryClient = useQueryClient();
  const api = useApi();
  // The copy says of each change what its row says: its task's status, read from the cache when pressed.
  const statusOf = (taskId: string) =>
    changeStatus(queryClient.getQueryData(taskOptions(api, taskId, NOT_FOLLOWING).queryKey)?.status, following.includes(taskId));
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
            {/* Built when pressed: its first date formatter is costly, and would be built on the frame that shows the first card. */}
            <CopyButton label="activity log" showLabel text={() => activityText(entries, statusOf)} />
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
        <Suspense>
          <ActivityEntries entries={entries} following={following} />
        </Suspense>
      )}
    </Paper>
  );
}

