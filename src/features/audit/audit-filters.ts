/**
 * The Audit view's filter form: what may be typed, stated once as a zod schema (the form's
 * resolver), and the filters' search params in the page URL (`?view=audit&vm=…&outcome=…`).
 */
import * as z from 'zod/mini';
import { OUTCOME_FILTERS, type OutcomeFilter } from './use-audit.ts';
import { normalizeFilters, type AuditFilters } from '../../api/audit.ts';

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
  already_assigned: 'Already assigned',
  running: 'Running',
  pending: 'Pending',
  unknown: 'Never seen to end',
  not_seen: 'Outcome not seen (pending, running or never seen to end)',
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

/** The filters as the route's search params (`?view=audit&vm=…&outcome=…`): plain strings, judged by the server. */
const param = z.catch(z.optional(z.string()), undefined);
export const auditSearchShape = { vm: param, interface: param, user: param, outcome: param, from: param, to: param, tz: param };
