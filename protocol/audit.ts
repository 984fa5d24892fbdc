/**
 * The audit log as the panel's server answers it (GET /api/panel/audit), and the refusal of a change
 * while another is in progress on the same interface. Shared by the server and the panel.
 */

export const AUDIT_PATH = '/api/panel/audit';

/**
 * How a recorded change went. `pending`/`running`: its end has not been seen (yet). `rejected`:
 * Katapult, or the panel's server (e.g. `change_not_permitted`), refused it; `error_code` says why.
 * `already_assigned`: Katapult answered `speed_profile_already_assigned`, so nothing had to change.
 */
export const AUDIT_OUTCOMES = ['pending', 'running', 'completed', 'failed', 'rejected', 'already_assigned'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

export interface AuditEntry {
  id: string;
  /** When the server received the change (ISO 8601 UTC). */
  at: string;
  /** From the trusted user header, else `unknown`. */
  user: string;
  vm: { id: string | null; name: string | null };
  interface_id: string;
  network: { id: string | null; name: string | null };
  from_profile: { id: string | null; name: string | null } | null;
  from_source: 'katapult' | 'panel';
  to_profile: { id: string | null; permalink: string | null; name: string | null };
  outcome: AuditOutcome;
  task_id: string | null;
  error_code: string | null;
  /** The last relayed task answer that still showed the task pending or running. */
  last_seen_at: string | null;
  ended_at: string | null;
  /**
   * Whether this change holds the interface's lock now: no other change of the interface is accepted
   * (409 change_in_progress) until its task is seen to end or `blocking_until` passes.
   */
  blocking: boolean;
  /** While blocking: when it stops blocking unless a task answer is seen before (last seen, else `at`, + CHANGE_LOCK_MINUTES). */
  blocking_until: string | null;
  /**
   * The change's end was never seen and it no longer blocks: its task was not seen for
   * CHANGE_LOCK_MINUTES ("a change by alice started 20 min ago was never seen to end").
   */
  expired: boolean;
  /** When it stopped blocking: when a later change retired it, else when its time ran out. Null unless `expired`. */
  expired_at: string | null;
}

export interface AuditListAnswer {
  entries: AuditEntry[];
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  next_cursor: string | null;
}

/** 409: the interface already has a change pending or running, and nothing was forwarded to Katapult. */
export const CHANGE_IN_PROGRESS = 'change_in_progress';
export interface ChangeInProgressDetail {
  /** The change holding the interface, as the audit list shows it (`blocking: true`). */
  change: AuditEntry;
  /** Who started it, when, and its target profile (the same values as in `change`). */
  user: string;
  started_at: string;
  to_profile: AuditEntry['to_profile'];
  /** When it stops blocking unless its task is seen again before. */
  blocking_until: string;
}
