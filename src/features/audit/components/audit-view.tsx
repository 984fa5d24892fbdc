import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import LinearProgress from '@mui/material/LinearProgress';
import Link from '@mui/material/Link';
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
import { useId, useState, type MouseEvent, type ReactNode } from 'react';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { usePanelConfig } from '../../../lib/panel-config.tsx';
import { useNow } from '../../../lib/use-now.ts';
import {
  AUDIT_PAGE_SIZE,
  auditCsvHref,
  normalizeFilters,
  useAuditList,
  type AuditEntry,
  type AuditFilters,
} from '../api/get-audit.ts';
import { useAuditFilters } from '../audit-filters.ts';
import { outcomeView, profileText } from '../audit-text.ts';
import { AuditFiltersForm } from './audit-filters-form.tsx';
import { AuditTime } from './audit-time.tsx';
import { DownloadIcon, OutcomeChip } from './outcome-chip.tsx';

/** What an "Open" link looks up: the row's VM on the row's network. */
export interface OpenTarget {
  vm: string;
  network: string | undefined;
}

export interface AuditViewProps {
  /**
   * Looks the row's interface up in the panel instead of following the link's `?vm=&network=`
   * (the app's own navigation; needed in mount(), where the host page's URL is not the panel's).
   */
  onOpen?: ((target: OpenTarget) => void) | undefined;
  /** Starting filters when the panel does not keep its state in the page URL (mount()). */
  initialFilters?: AuditFilters | undefined;
}

/** Relative times in the titles move on with this clock (display only). */
const CLOCK_MS = 30_000;
const COLUMNS = ['Time', 'User', 'Virtual machine', 'Interface and network', 'Change', 'Outcome and task'] as const;

const openHref = (t: OpenTarget) => {
  const p = new URLSearchParams({ vm: t.vm });
  if (t.network) p.set('network', t.network);
  return `?${p.toString()}`;
};

const plainClick = (e: MouseEvent) => e.button === 0 && !e.metaKey && !e.ctrlKey && !e.shiftKey && !e.altKey;

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
export function AuditView({ onOpen, initialFilters }: AuditViewProps) {
  const headingId = useId();
  const { apiBase } = usePanelConfig();
  const [filters, setFilters] = useAuditFilters(initialFilters);
  const filtersKey = JSON.stringify(normalizeFilters(filters));
  const [paging, setPaging] = useState<Paging>({ filtersKey, cursor: undefined, previous: [] });
  // New filters start again from the first page.
  const page = paging.filtersKey === filtersKey ? paging : { filtersKey, cursor: undefined, previous: [] };
  const query = useAuditList({ ...normalizeFilters(filters), limit: AUDIT_PAGE_SIZE, cursor: page.cursor });
  const nowMs = useNow(CLOCK_MS);
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
            Every speed change made through this panel, by all staff, newest first. Times are in your time zone; the date filters are in UTC.
          </Typography>
        </Box>
        <Button href={auditCsvHref(apiBase, filters)} variant="outlined" size="small" startIcon={<DownloadIcon />} sx={{ whiteSpace: 'nowrap', flexShrink: 0 }}>
          Export CSV
        </Button>
      </Stack>

      <AuditFiltersForm filters={filters} onApply={setFilters} rejected={rejected} />
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
                entries.map((e) => <AuditRow key={e.id} entry={e} nowMs={nowMs} onOpen={onOpen} />)
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

const mono = { fontFamily: 'monospace', fontSize: '0.8125rem' } as const;

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

function AuditRow({ entry: e, nowMs, onOpen }: { entry: AuditEntry; nowMs: number; onOpen: AuditViewProps['onOpen'] }) {
  const { locale } = usePanelConfig();
  const target: OpenTarget | undefined = e.vm.id ? { vm: e.vm.id, network: e.network.id ?? undefined } : undefined;
  return (
    <TableRow hover sx={{ verticalAlign: 'top' }}>
      <TableCell>
        <AuditTime iso={e.at} nowMs={nowMs} exact />
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
            “From” as the panel saw it
          </Typography>
        ) : null}
      </TableCell>
      <TableCell sx={{ maxWidth: 320 }}>
        <OutcomeChip outcome={outcomeView(e, nowMs, locale)} />
        {e.task_id ? <Box sx={{ ...mono, mt: 0.25, color: 'text.secondary', whiteSpace: 'nowrap' }}>{e.task_id}</Box> : null}
      </TableCell>
      <TableCell>
        {target ? (
          <Link
            href={openHref(target)}
            underline="hover"
            onClick={(ev) => {
              if (!onOpen || !plainClick(ev)) return;
              ev.preventDefault();
              onOpen(target);
            }}
          >
            Open
          </Link>
        ) : null}
      </TableCell>
    </TableRow>
  );
}
