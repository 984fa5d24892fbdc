import { describe, expect, it } from 'vitest';
import { csvFileName, presetRange, toServerFilters } from './audit-zone.ts';

// The unit tests run in the UTC zone unless TZ says otherwise; the local rule is checked in the e2e tests (America/New_York).
describe('audit zone', () => {
  const now = Date.parse('2026-12-07T09:30:00Z');
  it('presets are days of the zone shown', () => {
    expect(presetRange('today', 'utc', now)).toEqual({ from: '2026-12-07', to: '2026-12-07' });
    expect(presetRange('yesterday', 'utc', now)).toEqual({ from: '2026-12-06', to: '2026-12-06' });
    expect(presetRange('last7', 'utc', now)).toEqual({ from: '2026-12-01', to: '2026-12-07' });
  });
  it('UTC days go to the server as bare dates; local days as the instants they span', () => {
    expect(toServerFilters({ from: '2026-12-06', to: '2026-12-06' }, 'utc')).toEqual({ from: '2026-12-06', to: '2026-12-06' });
    const local = toServerFilters({ from: '2026-12-06', to: '2026-12-06' }, 'local');
    expect(Date.parse(local.to!) - Date.parse(local.from!)).toBe(86_400_000 - 1);
  });
  it('the CSV file name says the range, its zone and the filters', () => {
    expect(csvFileName({ from: '2026-12-01', to: '2026-12-07', vm: 'web 01' }, 'utc')).toBe('audit-log_2026-12-01_to_2026-12-07_UTC_vm-web-01.csv');
    expect(csvFileName({}, 'utc')).toBe('audit-log_all-dates.csv');
  });
});
