import Box from '@mui/material/Box';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import Skeleton from '@mui/material/Skeleton';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useId, type ReactNode } from 'react';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { RouterLink } from '../../../components/router-link.tsx';
import { ChangeTicketCopy } from '../../../components/ticket-copy.tsx';
import { usePanelConfig } from '../../../lib/panel-config.tsx';
import { RELATIVE_CLOCK_MS, useNow } from '../../../lib/use-now.ts';
import { useRecentAudit } from '../use-audit.ts';
import { outcomeView, profileText } from '../audit-text.ts';
import { AuditTime } from './audit-time.tsx';
import { OutcomeChip } from './outcome-chip.tsx';
import { RECENT_LIMIT } from '../../../api/audit.ts';
import type { AuditEntry } from '../../../../protocol/audit.ts';

export interface RecentChangesProps {
  interfaceId: string;
  /** The interface's name, for the ticket paragraph. */
  interfaceName?: string | undefined;
  /** Drawn under a change: the way to put it back (composed by the app). */
  changeBack?: ((entry: AuditEntry) => ReactNode) | undefined;
}

/** The card's "Recent changes": the last few speed changes made to this interface through the panel, by anyone. */
export function RecentChanges({ interfaceId, interfaceName, changeBack }: RecentChangesProps) {
  const headingId = useId();
  const query = useRecentAudit(interfaceId);
  const nowMs = useNow(RELATIVE_CLOCK_MS);
  const { locale } = usePanelConfig();

  return (
    <Box component="section" aria-labelledby={headingId}>
      <Stack direction="row" sx={{ alignItems: 'baseline', justifyContent: 'space-between', gap: 2, mb: 0.5 }}>
        <Typography id={headingId} component="h3" variant="subtitle2">
          Recent changes
        </Typography>
        <RouterLink to="." search={{ view: 'audit', interface: interfaceId }} variant="body2" underline="hover">
          All changes in the audit log
        </RouterLink>
      </Stack>
      {query.isPending ? (
        <Stack aria-busy="true" aria-label="Loading recent changes" spacing={0.5}>
          <Skeleton variant="text" width="80%" />
          <Skeleton variant="text" width="60%" />
        </Stack>
      ) : query.isError ? (
        <ErrorAlert error={query.error} />
      ) : query.data.entries.length === 0 ? (
        <Typography variant="body2" sx={{ color: 'text.secondary' }}>
          No changes through this panel.
        </Typography>
      ) : (
        <List dense disablePadding>
          {query.data.entries.slice(0, RECENT_LIMIT).map((e) => (
            <RecentChange key={e.id} entry={e} nowMs={nowMs} locale={locale} interfaceName={interfaceName} changeBack={changeBack} />
          ))}
        </List>
      )}
    </Box>
  );
}

function RecentChange({
  entry,
  nowMs,
  locale,
  interfaceName,
  changeBack,
}: {
  entry: AuditEntry;
  nowMs: number;
  locale: string | undefined;
  interfaceName: string | undefined;
  changeBack: RecentChangesProps['changeBack'];
}) {
  return (
    <ListItem disableGutters divider sx={{ display: 'block', py: 0.75 }}>
      <Stack direction="row" sx={{ alignItems: 'center', justifyContent: 'space-between', gap: 1, flexWrap: 'wrap' }}>
        <Typography variant="body2" sx={{ fontWeight: 500 }}>
          {profileText(entry.from_profile)} → {profileText(entry.to_profile)}
        </Typography>
        <OutcomeChip outcome={outcomeView(entry, nowMs, locale)} />
      </Stack>
      <Stack direction="row" sx={{ alignItems: 'center', gap: 1, flexWrap: 'wrap' }}>
        <Typography variant="caption" component="div" sx={{ color: 'text.secondary' }}>
          {entry.user} · <AuditTime iso={entry.at} nowMs={nowMs} />
          {entry.from_source === 'panel' ? ' · names as reported by the panel' : null}
        </Typography>
        <ChangeTicketCopy entry={entry} interfaceName={interfaceName} />
      </Stack>
      {changeBack?.(entry)}
    </ListItem>
  );
}
