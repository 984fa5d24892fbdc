/**
 * The panel server's audit log as it answers `GET /api/panel/audit`: stated once, as a zod schema,
 * so the server's type and the client's check are the same statement.
 */
import * as z from 'zod/mini';

export const AUDIT_PATH = '/api/panel/audit';

/**
 * `unknown`: the change's end was never seen (its task did not end within TASK_FOLLOW_MINUTES, or
 * its answer was lost and the interface never showed the new profile); it no longer holds the lock.
 */
export const AUDIT_OUTCOMES = ['pending', 'running', 'completed', 'failed', 'rejected', 'already_assigned', 'unknown'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

const text = z.nullable(z.string());
export const auditEntrySchema = z.object({
  id: z.string(),
  /** When the server received the change (ISO 8601 UTC). */
  at: z.string(),
  /** From the trusted user header, else `unknown`. */
  user: z.string(),
  vm: z.object({ id: text, name: text }),
  interface_id: z.string(),
  network: z.object({ id: text, name: text }),
  from_profile: z.nullable(z.object({ id: text, name: text })),
  /**
   * Where the record's names (VM, network, both profiles) come from: `katapult`, read by the server
   * (a name Katapult did not give is null); `panel`, what the browser reported, because the
   * server's read of the interface failed.
   */
  from_source: z.enum(['katapult', 'panel']),
  to_profile: z.object({ id: text, permalink: text, name: text }),
  outcome: z.enum(AUDIT_OUTCOMES),
  task_id: text,
  error_code: text,
  /** The last relayed task answer that still showed the task pending or running. */
  last_seen_at: text,
  ended_at: text,
  /**
   * Whether this change holds the interface's lock now: no other change of the interface is accepted
   * (409 change_in_progress) until its task is seen to end or `blocking_until` passes.
   */
  blocking: z.boolean(),
  /** While blocking: when it stops blocking unless a task answer is seen before. */
  blocking_until: text,
  /** Its end was never seen and it no longer blocks ("a change by alice started 20 min ago was never seen to end"). */
  expired: z.boolean(),
  /** When it stopped blocking. Null unless `expired`. */
  expired_at: text,
  /** Changes with every write to the record (the live feed's order). */
  updated_at: z.string(),
  /** The task's progress (0–100) as the server's follower last saw it. */
  task_progress: z.nullable(z.number()),
  /**
   * The server's decision that "Change back" is possible now: a completed change with a known "from",
   * the newest completed change of its interface, and no change of the interface running.
   */
  can_change_back: z.boolean(),
});
export const auditPageSchema = z.object({ entries: z.array(auditEntrySchema), next_cursor: z.nullable(z.string()) });

export type AuditEntry = z.infer<typeof auditEntrySchema>;
export type AuditPage = z.infer<typeof auditPageSchema>;
/** Pass `next_cursor` as `cursor` for the next (older) page; null on the last page. */
export type AuditListAnswer = AuditPage;

/** The list's query: the filters (absent means "any") and the page. */
export interface AuditQuery {
  vm?: string | undefined;
  interface?: string | undefined;
  user?: string | undefined;
  outcome?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  limit?: number | undefined;
  cursor?: string | undefined;
}

export const CHANGE_IN_PROGRESS = 'change_in_progress';
/** A "Change back" the server no longer allows: a newer change of the interface exists or is running. */
export const CHANGE_BACK_NOT_POSSIBLE = 'change_back_not_possible';
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
