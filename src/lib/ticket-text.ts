/**
 * The one ticket formatter: a change (as it runs, when it ends, in "Recent changes" and the Audit
 * view) or an error becomes one short, complete paragraph to paste into a ticket. Times are UTC with
 * the zone written, so the paragraph reads the same to a colleague in another zone.
 */
import type { AuditEntry, AuditOutcome } from '../../protocol/audit.ts';
import type { ApiError } from '../api/api-error.ts';
import { errorLabel, wordingFor, type ErrorContext } from '../api/error-messages.ts';

/** A named thing as a ticket quotes it: "web-01 (vm_…)", the id alone, or the name alone. */
export interface Named {
  id?: string | null | undefined;
  name?: string | null | undefined;
}

/** A profile as a record names it: by id, permalink (a change sent by permalink) or name. */
export interface ProfileRef {
  id?: string | null | undefined;
  permalink?: string | null | undefined;
  name?: string | null | undefined;
}

export interface TicketProfile extends Named {
  /** "up 1 Gbit/s, down 1 Gbit/s", when known. */
  speeds?: string | undefined;
}

/** What a ticket says of a change. Everything but the target profile may be missing from a record. */
export interface TicketChange {
  vm?: Named | undefined;
  interface?: Named | undefined;
  network?: Named | undefined;
  /** The IP address the lookup started from. */
  ip?: string | undefined;
  user?: string | undefined;
  /** When the change was asked for: ISO 8601 or Unix seconds. */
  at?: string | number | undefined;
  from?: TicketProfile | null | undefined;
  to: TicketProfile;
  taskId?: string | null | undefined;
  outcome: AuditOutcome;
  /** The task's progress (0–100) while it runs. */
  progress?: number | null | undefined;
  endedAt?: string | number | null | undefined;
  /** Katapult's (or the server's) code for a refused or unseen change. */
  errorCode?: string | null | undefined;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** "2026-12-07 09:14 UTC"; a time that does not parse is given as it came. */
export function formatUtc(when: string | number): string {
  const d = new Date(typeof when === 'number' ? when * 1000 : when);
  if (Number.isNaN(d.getTime())) return String(when);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`;
}

/** "web-01 (vm_…)", "vm_…", "web-01", or `fallback`. */
export function named(n: Named | null | undefined, fallback = 'not recorded'): string {
  const name = n?.name ?? undefined;
  const id = n?.id ?? undefined;
  if (name && id && name !== id) return `${name} (${id})`;
  return name ?? id ?? fallback;
}

const profile = (p: TicketProfile | null | undefined) => {
  if (!p) return 'its previous profile (not recorded)';
  const base = p.name ?? p.id ?? 'a profile not recorded';
  return p.speeds ? `${base} (${p.speeds})` : base;
};

function outcomeSentence(c: TicketChange): string {
  const task = c.taskId ? `Task ${c.taskId}` : 'No task';
  const ended = c.endedAt ? ` at ${formatUtc(c.endedAt)}` : '';
  const code = c.errorCode ? ` (${c.errorCode})` : '';
  switch (c.outcome) {
    case 'pending':
      return `${task}: sent to Katapult, not started yet.`;
    case 'running':
      return `${task}: running${c.progress !== null && c.progress !== undefined ? ` (${c.progress}%)` : ''}.`;
    case 'completed':
      return `${task}: completed${ended}.`;
    case 'failed':
      return `${task}: failed${ended}; Katapult did not apply it, the interface keeps its previous profile.`;
    case 'rejected':
      return `Refused${code}: nothing was changed.`;
    case 'already_assigned':
      return `Nothing to change: the interface already had that profile${code}.`;
    case 'unknown':
      return `${task}: outcome unknown, the change was never seen to end${code}; check the interface's current profile.`;
  }
}

/** One paragraph for a change, whatever its outcome. */
export function changeTicketText(c: TicketChange): string {
  const where = [
    `interface ${named(c.interface)}`,
    `on VM ${named(c.vm)}`,
    `network ${named(c.network)}`,
  ].join(', ');
  const via = c.ip ? ` (looked up from IP address ${c.ip})` : '';
  const who = c.user ? ` by ${c.user}` : '';
  const when = c.at !== undefined ? ` at ${formatUtc(c.at)}` : '';
  return `Speed profile change of ${where}${via}: from ${profile(c.from)} to ${profile(c.to)}, asked${who}${when}. ${outcomeSentence(c)}`;
}

/** What the audit log records of a change, for the ticket; speeds and the interface's name come from what the panel knows. */
export function auditTicketChange(
  e: AuditEntry,
  known: { speedsOf?: (profile: ProfileRef) => string | undefined; interfaceName?: string | undefined; ip?: string | undefined } = {},
): TicketChange {
  return {
    vm: e.vm,
    interface: { id: e.interface_id, name: known.interfaceName },
    network: e.network,
    ip: known.ip,
    user: e.user,
    at: e.at,
    from: e.from_profile ? { ...e.from_profile, speeds: known.speedsOf?.(e.from_profile) } : null,
    to: { id: e.to_profile.id, name: e.to_profile.name ?? e.to_profile.permalink, speeds: known.speedsOf?.(e.to_profile) },
    taskId: e.task_id,
    outcome: e.outcome,
    progress: e.task_progress,
    endedAt: e.ended_at ?? e.expired_at,
    errorCode: e.error_code,
  };
}

export interface ErrorTicket {
  /** What was asked: "Lookup of VM web-01 on network public", "Change of interface eth0 to 10 Gbps". */
  asked?: string | undefined;
  context?: ErrorContext | undefined;
  user?: string | undefined;
  /** When it happened (Unix seconds or ISO); default now. */
  at?: string | number | undefined;
  locale?: string | undefined;
}

const sentence = (s: string) => (/[.!?:]$/.test(s.trim()) ? s.trim() : `${s.trim()}.`);

/** One paragraph for an error: what was asked, the error's sentence, its code and HTTP status. */
export function errorTicketText(error: ApiError, t: ErrorTicket = {}): string {
  const { title, advice } = wordingFor(error, t.context ?? 'read', t.locale);
  const when = formatUtc(t.at ?? Date.now() / 1000);
  const head = t.asked ? `${t.asked}${t.user ? ` by ${t.user}` : ''} at ${when} failed` : `Error at ${when}${t.user ? ` (${t.user})` : ''}`;
  const status = error.kind === 'network' ? 'no HTTP answer (network error)' : `HTTP ${error.status}`;
  const code = error.code ? `Code ${error.code}, ${status}.` : `${status[0]?.toUpperCase()}${status.slice(1)}.`;
  const katapult = error.kind === 'katapult' && error.description ? ` Katapult said: “${error.description}”` : '';
  return `${head}: ${sentence(title)} ${sentence(advice)} ${code}${katapult}`;
}

export { errorLabel };
