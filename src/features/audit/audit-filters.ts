/**
 * The Audit view's filter form: what may be typed, stated once as a zod schema (the form's
 * resolver), and how the filters live in the page URL (`?view=audit&vm=…&outcome=…`).
 */
import { useCallback, useEffect, useState } from 'react';
import * as z from 'zod/mini';
import { usePanelConfig } from '../../lib/panel-config.tsx';
import { FILTER_KEYS, normalizeFilters, OUTCOME_FILTERS, type AuditFilters, type OutcomeFilter } from './api/get-audit.ts';

/** The form's fields as typed: strings, '' meaning "any". */
export interface FilterFormValues {
  vm: string;
  interface: string;
  user: string;
  outcome: '' | OutcomeFilter;
  from: string;
  to: string;
}

export const OUTCOME_LABELS: Record<OutcomeFilter, string> = {
  completed: 'Completed',
  failed: 'Failed',
  rejected: 'Rejected',
  running: 'Running',
  pending: 'Pending',
  not_seen: 'Outcome not seen (pending or running)',
};

const MAX = 200;
const field = z.string().check(z.trim(), z.maxLength(MAX, `At most ${MAX} characters.`));

/** A calendar date as the date field gives it (`2026-11-30`), that exists. */
const isDate = (v: string) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(v);
};
const date = z.string().check(
  z.trim(),
  z.refine((v) => v === '' || isDate(v), 'Enter a date as YYYY-MM-DD.'),
);

export const filterFormSchema = z.pipe(
  z
    .object({
      vm: field,
      interface: field,
      user: field,
      outcome: z.union([z.literal(''), z.enum(OUTCOME_FILTERS)]),
      from: date,
      to: date,
    })
    .check(
      z.refine((v) => v.from === '' || v.to === '' || v.from <= v.to, {
        path: ['to'],
        message: '“To” is before “From”.',
      }),
    ),
  z.transform((v): AuditFilters => normalizeFilters(v)),
);

export const toFormValues = (f: AuditFilters): FilterFormValues => ({
  vm: f.vm ?? '',
  interface: f.interface ?? '',
  user: f.user ?? '',
  outcome: OUTCOME_FILTERS.find((o) => o === f.outcome) ?? '',
  // A date field can only show a bare date; a date-time from a hand-written link keeps its date.
  from: f.from?.slice(0, 10) ?? '',
  to: f.to?.slice(0, 10) ?? '',
});

/** The filters in a query string. Values are passed on as given: the server judges them (400 invalid_audit_filter). */
export function readAuditFilters(search: string): AuditFilters {
  const p = new URLSearchParams(search);
  const f: AuditFilters = {};
  for (const key of FILTER_KEYS) f[key] = p.get(key) ?? undefined;
  return normalizeFilters(f);
}

/** `search` with its filter parameters replaced by `filters`; every other parameter (`view`…) is kept. */
export function withAuditFilters(search: string, filters: AuditFilters): string {
  const p = new URLSearchParams(search);
  for (const key of FILTER_KEYS) p.delete(key);
  const f = normalizeFilters(filters);
  for (const key of FILTER_KEYS) if (f[key]) p.set(key, f[key]);
  const s = p.toString();
  return s ? `?${s}` : '';
}

/**
 * The filters as state. On a page that keeps its state in the URL (`syncUrl`), they are read from
 * and pushed to the page URL (deep links, reload, back/forward); mounted in a portal, they live in
 * memory, starting from `initial`.
 */
export function useAuditFilters(initial: AuditFilters = {}) {
  const { syncUrl } = usePanelConfig();
  const [filters, setState] = useState<AuditFilters>(() =>
    syncUrl ? readAuditFilters(window.location.search) : normalizeFilters(initial),
  );
  useEffect(() => {
    if (!syncUrl) return;
    const onPop = () => setState(readAuditFilters(window.location.search));
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, [syncUrl]);
  const setFilters = useCallback(
    (next: AuditFilters) => {
      const f = normalizeFilters(next);
      setState(f);
      if (!syncUrl) return;
      const search = withAuditFilters(window.location.search, f);
      if (search === window.location.search) return;
      window.history.pushState(null, '', `${window.location.pathname}${search}${window.location.hash}`);
    },
    [syncUrl],
  );
  return [filters, setFilters] as const;
}
