/** The audit export as CSV (RFC 4180), safe to open in a spreadsheet. */
import type { AuditEntry } from './store.ts';

export const CSV_COLUMNS = [
  'id', 'at', 'user', 'vm_id', 'vm_name', 'interface_id', 'network_id', 'network_name',
  'from_profile_id', 'from_profile_name', 'from_source', 'to_profile_id', 'to_profile_permalink',
  'to_profile_name', 'outcome', 'task_id', 'error_code', 'last_seen_at', 'ended_at',
] as const;

/**
 * Every cell quoted, so a spreadsheet that splits on `;` or tabs keeps it whole; and a formula
 * character (= + - @, tab, CR) at the start of the cell, or of any `;`- or tab-separated part of it,
 * gets a ' before it, so no part of it is run as a formula wherever the spreadsheet splits.
 */
export function csvCell(value: string | null): string {
  if (value === null) return '""';
  const parts = value
    .split(/([;\t])/)
    .map((part, i) => (i % 2 === 0 && /^[=+\-@\r]/.test(part) ? `'${part}` : part))
    .join('');
  // A leading tab is a separator to split on and a formula character too.
  const safe = parts.startsWith('\t') ? `'${parts}` : parts;
  return `"${safe.replace(/"/g, '""')}"`;
}

export function csvRow(e: AuditEntry): string {
  const cells = [
    e.id, e.at, e.user, e.vm.id, e.vm.name, e.interface_id, e.network.id, e.network.name,
    e.from_profile?.id ?? null, e.from_profile?.name ?? null, e.from_source, e.to_profile.id,
    e.to_profile.permalink, e.to_profile.name, e.outcome, e.task_id, e.error_code, e.last_seen_at, e.ended_at,
  ];
  return `${cells.map(csvCell).join(',')}\r\n`;
}

export const csvHeader = () => `${CSV_COLUMNS.map(csvCell).join(',')}\r\n`;
