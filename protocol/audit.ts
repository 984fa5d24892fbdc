/**
 * The panel server's audit log as it answers `GET /api/panel/audit`: stated once, as a zod schema,
 * so the server's type and the client's check are the same statement.
 */
import * as z from 'zod/mini';

export const AUDIT_OUTCOMES = ['pending', 'running', 'completed', 'failed', 'rejected'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

const text = z.nullable(z.string());
export const auditEntrySchema = z.object({
  id: z.string(),
  at: z.string(),
  user: z.string(),
  vm: z.object({ id: text, name: text }),
  interface_id: z.string(),
  network: z.object({ id: text, name: text }),
  from_profile: z.nullable(z.object({ id: text, name: text })),
  from_source: z.enum(['katapult', 'panel']),
  to_profile: z.object({ id: text, permalink: text, name: text }),
  outcome: z.enum(AUDIT_OUTCOMES),
  task_id: text,
  error_code: text,
  last_seen_at: text,
  ended_at: text,
});
export const auditPageSchema = z.object({ entries: z.array(auditEntrySchema), next_cursor: z.nullable(z.string()) });

export type AuditEntry = z.infer<typeof auditEntrySchema>;
export type AuditPage = z.infer<typeof auditPageSchema>;

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
