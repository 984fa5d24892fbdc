import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { filterFormSchema, readAuditFilters, toFormValues, withAuditFilters, type FilterFormValues } from './audit-filters.ts';

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
  it('reads the filters and ignores the other parameters', () => {
    expect(readAuditFilters('?view=audit&vm=web&outcome=failed&network=netw_1&to=')).toEqual({ vm: 'web', outcome: 'failed' });
  });

  it('replaces the filters and keeps view and the rest', () => {
    expect(withAuditFilters('?view=audit&vm=old&x=1', { vm: 'new', outcome: 'failed' })).toBe('?view=audit&x=1&vm=new&outcome=failed');
    expect(withAuditFilters('?vm=old', {})).toBe('');
  });

  it('shows an unknown outcome from a link as "any" in the form and a date-time as its date', () => {
    expect(toFormValues({ outcome: 'lost', from: '2026-11-01T10:00:00Z' })).toMatchObject({ outcome: '', from: '2026-11-01' });
  });
});
