import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { auditSearchShape, filterFormSchema, toFormValues, type FilterFormValues } from './audit-filters.ts';
import { normalizeFilters } from '../../api/audit.ts';

const EMPTY: FilterFormValues = { vm: '', interface: '', user: '', outcome: '', from: '', to: '' };
const parse = (v: Partial<FilterFormValues>) => z.safeParse(filterFormSchema, { ...EMPTY, ...v });

describe('filterFormSchema', () => {
  it('trims the values and leaves empty ones out', () => {
    expect(parse({ vm: '  web-1 ', user: ' ', from: '2026-11-01' }).data).toEqual({ vm: 'web-1', from: '2026-11-01' });
  });

  it('refuses a date that does not exist and a range that ends before it starts', () => {
    expect(parse({ from: '2026-02-30' }).error?.issues[0]).toMatchObject({ path: ['from'], message: 'Enter a date as YYYY-MM-DD.' });
    expect(parse({ from: '2026-11-30', to: '2026-11-01' }).error?.issues[0]).toMatchObject({ path: ['to'] });
    expect(parse({ from: '2026-11-30', to: '2026-11-30' }).success).toBe(true);
  });

  it('accepts only the contract’s outcomes', () => {
    expect(parse({ outcome: 'not_seen' }).data).toEqual({ outcome: 'not_seen' });
    expect(parse({ outcome: 'lost' as FilterFormValues['outcome'] }).success).toBe(false);
  });
});

describe('filters in the URL', () => {
  // The route's search schema spreads auditSearchShape; the view reads the filters with normalizeFilters.
  const readFilters = (search: string) => normalizeFilters(z.parse(z.object(auditSearchShape), Object.fromEntries(new URLSearchParams(search))));

  it('reads the filters and ignores the other parameters', () => {
    expect(readFilters('?view=audit&vm=web&outcome=failed&network=netw_1&to=')).toEqual({ vm: 'web', outcome: 'failed' });
  });

  it('passes a value it cannot judge on to the server, and drops one that is not a string', () => {
    expect(readFilters('?from=last-tuesday&outcome=sideways')).toEqual({ from: 'last-tuesday', outcome: 'sideways' });
    expect(normalizeFilters(z.parse(z.object(auditSearchShape), { vm: 42, user: ' ana ' }))).toEqual({ user: 'ana' });
  });

  it('shows an unknown outcome from a link as "any" in the form and a date-time as its date', () => {
    expect(toFormValues({ outcome: 'lost', from: '2026-11-01T10:00:00Z' })).toMatchObject({ outcome: '', from: '2026-11-01' });
  });
});
