/**
 * The Audit view's one time-zone rule: dates typed in the filters and times shown in the rows are in
 * the same zone, the viewer's own or UTC (the switch), and each says which. A local day is sent to
 * the server as the UTC instants it spans; a UTC day as the bare date (the server's days are UTC).
 */
import type { AuditFilters } from '../../api/audit.ts';

export type AuditZone = 'local' | 'utc';

const pad = (n: number) => String(n).padStart(2, '0');
const ymd = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;

/** The zone's name as the view writes it: "UTC", or the viewer's IANA zone ("America/New_York"). */
export const zoneName = (zone: AuditZone) => (zone === 'utc' ? 'UTC' : Intl.DateTimeFormat().resolvedOptions().timeZone || 'your time zone');

/** The filters as the server takes them: the typed days made into instants of the zone shown. */
export function toServerFilters(f: AuditFilters, zone: AuditZone): AuditFilters {
  if (zone === 'utc') return f;
  const local = (date: string | undefined, end: boolean) => {
    if (!date || !/^\d{4}-\d{2}-\d{2}$/.test(date)) return date;
    const [y, m, d] = date.split('-').map(Number) as [number, number, number];
    // The local midnight that starts the day (or the next one, less a millisecond, that ends it).
    return new Date(new Date(y, m - 1, end ? d + 1 : d).getTime() - (end ? 1 : 0)).toISOString();
  };
  return { ...f, from: local(f.from, false), to: local(f.to, true) };
}

export type Preset = 'today' | 'yesterday' | 'last7';
export const PRESET_LABELS: Record<Preset, string> = { today: 'Today', yesterday: 'Yesterday', last7: 'Last 7 days' };

/** The preset's days in the zone shown, as the date fields take them. */
export function presetRange(preset: Preset, zone: AuditZone, nowMs: number): { from: string; to: string } {
  const now = new Date(nowMs);
  const day = (offset: number) =>
    zone === 'utc'
      ? (() => {
          const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + offset));
          return ymd(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
        })()
      : (() => {
          const d = new Date(now.getFullYear(), now.getMonth(), now.getDate() + offset);
          return ymd(d.getFullYear(), d.getMonth() + 1, d.getDate());
        })();
  if (preset === 'today') return { from: day(0), to: day(0) };
  if (preset === 'yesterday') return { from: day(-1), to: day(-1) };
  return { from: day(-6), to: day(0) };
}

/** "audit-log_2026-12-01_to_2026-12-07_UTC_vm-web-01.csv": the range (in its zone) and the filters. */
export function csvFileName(f: AuditFilters, zone: AuditZone): string {
  const safe = (v: string) => v.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 40);
  const range = f.from || f.to ? [`${f.from ?? 'start'}_to_${f.to ?? 'now'}`, safe(zoneName(zone))] : ['all-dates'];
  const rest = (['vm', 'interface', 'user', 'outcome'] as const).flatMap((k) => (f[k] ? [`${k}-${safe(f[k])}`] : []));
  return `${['audit-log', ...range, ...rest].join('_')}.csv`;
}
