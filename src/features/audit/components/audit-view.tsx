import Box from '@mui/material/Box';
import FormControlLabel from '@mui/material/FormControlLabel';
import Switch from '@mui/material/Switch';
import type { Theme } from '@mui/material/styles';
import Button from '@mui/material/Button';
import LinearProgress from '@mui/material/LinearProgress';
import Paper from '@mui/material/Paper';
import Skeleton from '@mui/material/Skeleton';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useId, useState, type ReactNode } from 'react';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { RouterLink } from '../../../components/router-link.tsx';
import { ChangeTicketCopy } from '../../../components/ticket-copy.tsx';
import { usePanelConfig } from '../../../lib/panel-config.tsx';
import { RELATIVE_CLOCK_MS, useNow } from '../../../lib/use-now.ts';
import { useAuditList } from '../use-audit.ts';
import { outcomeView, profileText } from '../audit-text.ts';
import { csvFileName, toServerFilters, zoneName, type AuditZone } from '../audit-zone.ts';
import { AuditFiltersForm } from './audit-filters-form.tsx';
import { AuditTime } from './audit-time.tsx';
import { ExportCsv } from './export-csv.tsx';
import { OutcomeChip } from './outcome-chip.tsx';
import { AUDIT_PAGE_SIZE, normalizeFilters, type AuditFilters } from '../../../api/audit.ts';
import type { AuditEntry } from '../../../../protocol/audit.ts';

const COLUMNS = ['Time', 'User', 'Virtual machine', 'Interface and network', 'Change', 'Outcome and task'] as const;

/** Pages already passed: the cursor each one was fetched with, so "Previous page" can go back. */
interface Paging {
  filtersKey: string;
  cursor: string | undefined;
  previous: (string | undefined)[];
}

/**
 * The Audit view (`?view=audit`): every speed change recorded by the panel's server, by all
 * staff, newest first, filtered by what is in the URL, a page at a time.
 */
export interface AuditViewProps {
  /** Drawn in a change's outcome cell: the way to put it back (composed by the app). */
  changeBack?: ((entry: AuditEntry) => ReactNode) | undefined;
}

export function AuditView({ changeBack }: AuditViewProps) {
  const headingId = useId();
  const search = useSearch({ from: '__root__' });
  const navigate = useNavigate();
  const filters = normalizeFilters(search);
  // The lookup the Audit tab was opened from stays in history state, for the way back.
  const zone: AuditZone = search.tz === 'utc' ? 'utc' : 'local';
  const setFilters = (next: AuditFilters, tz: AuditZone = zone) =>
    void navigate({ to: '.', search: { view: 'audit', ...normalizeFilters(next), tz: tz === 'utc' ? 'utc' : undefined }, state: (s) => s });
  const filtersKey = JSON.stringify(normalizeFilters(filters));
  const [paging, setPaging] = useState<Paging>({ filtersKey, cursor: undefined, previous: [] });
  // New filters start again from the first page.
  const page = paging.filtersKey === filtersKey ? paging : { filtersKey, cursor: undefined, previous: [] };
  const serverFilters = toServerFilters(normalizeFilters(filters), zone);
  const query = useAuditList({ ...serverFilters, limit: AUDIT_PAGE_SIZE, cursor: page.cursor });
  const nowMs = useNow(RELATIVE_CLOCK_MS);
  const rejected = query.error?.code === 'invalid_audit_filter' ? query.error : null;
  const entries = query.data?.entries;
  const nextCursor = query.isPlaceholderData ? null : (query.data?.next_cursor ?? null);
  const filtered = Object.keys(normalizeFilters(filters)).length > 0;

  const next = () => {
    if (nextCursor) setPaging({ filtersKey, cursor: nextCursor, previous: [...page.previous, page.cursor] });
  };
  const previous = () => setPaging({ filtersKey, cursor: page.previous.at(-1), previous: page.previous.slice(0, -1) });

  return (
    <Stack component="section" aria-labelledby={headingId} spacing={2}>
      <Stack direction={{ xs: 'column', sm: 'row' }} sx={{ justifyContent: 'space-between', alignItems: { sm: 'flex-end' }, gap: 1 }}>
        <Box>
          <Typography id={headingId} component="h2" variant="h5">
            Audit log
          </Typography>
          <Typography variant="body2" sx={{ color: 'text.secondary' }}>
            Every speed change made through this panel, by all staff, newest first. Times and date filters are in {zoneName(zone)}.
          </Typography>
          <FormControlLabel
            control={<Switch size="small" checked={zone === 'utc'} onChange={(e) => setFilters(filters, e.target.checked ? 'utc' : 'local')} />}
            label="Times in UTC"
          />
        </Box>
        <ExportCsv filters={serverFilters} fileName={csvFileName(normalizeFilters(filters), zone)} />
      </Stack>

      <AuditFiltersForm filters={filters} onApply={setFilters} rejected={rejected} zone={zone} />
      {query.isError ? <ErrorAlert error={query.error} /> : null}

      <Paper variant="outlined">
        <Box sx={{ height: 4 }}>{query.isFetching ? <LinearProgress aria-label="Loading audit entries" /> : null}</Box>
        <TableContainer>
          {/* Narrower cells than MUI's small table, and only ids kept on one line, so every column fits a laptop's width. */}
          <Table size="small" aria-labelledby={headingId} sx={{ '& .MuiTableCell-root': { px: 1.5 } }}>
            <TableHead>
              <TableRow>
                {COLUMNS.map((c) => (
                  <TableCell key={c} sx={{ fontWeight: 600, whiteSpace: 'nowrap', color: 'text.secondary' }}>
                    {c}
                  </TableCell>
                ))}
                <TableCell aria-label="Actions" />
              </TableRow>
            </TableHead>
            <TableBody>
              {entries === undefined ? (
                query.isPending ? (
                  <LoadingRows />
                ) : (
                  <MessageRow>The log could not be loaded: see the message above.</MessageRow>
                )
              ) : entries.length === 0 ? (
                <MessageRow>
                  <Typography variant="body2" sx={{ fontWeight: 500 }}>
                    No recorded changes match these filters.
                  </Typography>
                  {filtered ? (
                    <Typography variant="body2" sx={{ color: 'text.secondary' }}>
                      Widen the date range or clear the filters.
                    </Typography>
                  ) : null}
                </MessageRow>
              ) : (
                entries.map((e) => <AuditRow key={e.id} entry={e} nowMs={nowMs} zone={zone} changeBack={changeBack} />)
              )}
            </TableBody>
          </Table>
        </TableContainer>
        <Stack
          direction="row"
          sx={{ alignItems: 'center', justifyContent: 'flex-end', gap: 1, px: 2, py: 1, borderTop: 1, borderColor: 'divider' }}
        >
          <Typography variant="body2" sx={{ color: 'text.secondary', mr: 'auto' }}>
            Page {page.previous.length + 1}
            {entries ? ` · ${entries.length} ${entries.length === 1 ? 'change' : 'changes'}` : ''}
          </Typography>
          <Button size="small" variant="outlined" onClick={previous} disabled={page.previous.length === 0}>
            Previous page
          </Button>
          <Button size="small" variant="outlined" onClick={next} disabled={!nextCursor}>
            Next page
          </Button>
        </Stack>
      </Paper>
    </Stack>
  );
}

/** Ids in monospace, sized in the theme's rem (which follows the host's root font size inside mount()). */
const mono = { fontFamily: 'monospace', fontSize: (theme: Theme) => theme.typography.pxToRem(13) } as const;

function MessageRow({ children }: { children: ReactNode }) {
  return (
    <TableRow>
      <TableCell colSpan={COLUMNS.length + 1} sx={{ py: 5, textAlign: 'center' }}>
        {children}
      </TableCell>
    </TableRow>
  );
}

function LoadingRows() {
  return Array.from({ length: 3 }, (_, i) => (
    <TableRow key={i} aria-hidden="true">
      {Array.from({ length: COLUMNS.length + 1 }, (_, j) => (
        <TableCell key={j}>
          <Skeleton variant="text" />
        </TableCell>
      ))}
    </TableRow>
  ));
}

/** A name with its id under it, the id in monospace (what staff search for and paste). */
function NameAndId({ name, id }: { name: string | null; id: string | null }) {
  return (
    <>
      {name || !id ? <Box sx={{ overflowWrap: 'break-word' }}>{name ?? '—'}</Box> : null}
      {id ? <Box sx={{ ...mono, whiteSpace: 'nowrap', color: name ? 'text.secondary' : 'text.primary' }}>{id}</Box> : null}
    </>
  );
}

function AuditRow({ entry: e, nowMs, zone, changeBack }: { entry: AuditEntry; nowMs: number; zone: AuditZone; changeBack: AuditViewProps['changeBack'] }) {
  const { locale } = usePanelConfig();
  return (
    <TableRow hover sx={{ verticalAlign: 'top' }}>
      <TableCell>
        <AuditTime iso={e.at} nowMs={nowMs} exact timeZone={zone === 'utc' ? 'UTC' : undefined} />
      </TableCell>
      <TableCell sx={{ overflowWrap: 'break-word' }}>{e.user}</TableCell>
      <TableCell>
        <NameAndId name={e.vm.name} id={e.vm.id} />
      </TableCell>
      <TableCell>
        <Box sx={{ ...mono, whiteSpace: 'nowrap' }}>{e.interface_id}</Box>
        {e.network.name || e.network.id ? (
          <Box sx={{ color: 'text.secondary' }}>
            {e.network.name ? <Box>{e.network.name}</Box> : null}
            {e.network.id ? <Box sx={{ ...mono, whiteSpace: 'nowrap' }}>{e.network.id}</Box> : null}
          </Box>
        ) : (
          <Box sx={{ color: 'text.secondary' }}>network not recorded</Box>
        )}
      </TableCell>
      <TableCell>
        <Box>
          <Box component="span" sx={{ whiteSpace: 'nowrap' }}>{profileText(e.from_profile)} →</Box>{' '}
          <Box component="span" sx={{ whiteSpace: 'nowrap' }}>{profileText(e.to_profile)}</Box>
        </Box>
        {e.from_source === 'panel' ? (
          <Typography variant="caption" sx={{ color: 'text.secondary' }}>
            Names as reported by the panel
          </Typography>
        ) : null}
      </TableCell>
      <TableCell sx={{ maxWidth: 320 }}>
        <OutcomeChip outcome={outcomeView(e, nowMs, locale)} />
        {e.task_id ? <Box sx={{ ...mono, mt: 0.25, color: 'text.secondary', whiteSpace: 'nowrap' }}>{e.task_id}</Box> : null}
        {changeBack?.(e)}
        <Box sx={{ mt: 0.5 }}>
          <ChangeTicketCopy entry={e} />
        </Box>
      </TableCell>
      <TableCell>
        {e.vm.id ? (
          // Looks the row's interface up again: the lookup runs.
          <RouterLink to="." search={{ vm: e.vm.id, network: e.network.id ?? undefined }} underline="hover">
            Open
          </RouterLink>
        ) : null}
      </TableCell>
    </TableRow>
  );
}
