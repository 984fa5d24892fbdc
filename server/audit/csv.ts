/** The audit export as CSV (RFC 4180), safe to open in a spreadsheet. */
import type { AuditEntry } from './store.ts';

export const CSV_COLUMNS = [
  'id', 'at', 'user', 'vm_id', 'vm_name', 'interface_id', 'network_id', 'network_name',
  'from_profile_id', 'from_profile_name', 'from_source', 'to_profile_id', 'to_profile_permalink',
  'to_profile_name', 'outcome', 'task_id', 'error_code', 'last_seen_at', 'ended_at',
] as const;

/** A cell a spreadsheet would run as a formula (= + - @, or a leading tab/CR) is prefixed with '. */
export function csvCell(value: string | null): string {
  if (value === null) return '';
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvRow(e: AuditEntry): string {
  const cells = [
    e.id, e.at, e.user, e.vm.id, e.vm.name, e.interface_id, e.network.id, e.network.name,
    e.from_profile?.id ?? null, e.from_profile?.name ?? null, e.from_source, e.to_profile.id,
    e.to_profile.permalink, e.to_profile.name, e.outcome, e.task_id, e.error_code, e.last_seen_at, e.ended_at,
  ];
  return `${cells.map(csvCell).join(',')}\r\n`;
}

export const csvHeader = () => `${CSV_COLUMNS.join(',')}\r\n`;
