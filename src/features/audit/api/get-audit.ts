/**
 * The panel server's own audit log (`GET /api/panel/audit`): not a Katapult endpoint, so it is not
 * in the generated Katapult types; its shape is stated once, by the zod guard below, and the types
 * are inferred from it. Failures become the shared ApiError like every other request.
 */
import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import * as z from 'zod/mini';
import { errorFromBody, jsonFromBody, networkError, unexpectedShape } from '../../../api/api-error.ts';
import { PANEL_HEADER } from '../../../../protocol/panel.ts';
import { usePanelConfig } from '../../../lib/panel-config.tsx';

export const AUDIT_OUTCOMES = ['pending', 'running', 'completed', 'failed', 'rejected'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];
/** What the outcome filter accepts: a stored outcome, or `not_seen` (pending or running). */
export const OUTCOME_FILTERS = [...AUDIT_OUTCOMES, 'not_seen'] as const;
export type OutcomeFilter = (typeof OUTCOME_FILTERS)[number];

const text = z.nullable(z.string());
const entrySchema = z.object({
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
const pageSchema = z.object({ entries: z.array(entrySchema), next_cursor: z.nullable(z.string()) });

export type AuditEntry = z.infer<typeof entrySchema>;
export type AuditPage = z.infer<typeof pageSchema>;

/** The filters a user sets (all optional; absent means "any"). Kept in the URL by the view. */
export interface AuditFilters {
  vm?: string | undefined;
  interface?: string | undefined;
  user?: string | undefined;
  outcome?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}
export const FILTER_KEYS = ['vm', 'interface', 'user', 'outcome', 'from', 'to'] as const satisfies readonly (keyof AuditFilters)[];

/** One request: the filters plus the page. */
export interface AuditQuery extends AuditFilters {
  limit?: number | undefined;
  cursor?: string | undefined;
}

/** The same filters with empty values left out, so equal filters give equal query keys and URLs. */
export function normalizeFilters(f: AuditFilters): AuditFilters {
  const out: AuditFilters = {};
  for (const key of FILTER_KEYS) {
    const v = f[key]?.trim();
    if (v) out[key] = v;
  }
  return out;
}

export const auditKeys = {
  all: ['audit'] as const,
  list: (filters: AuditQuery) => [...auditKeys.all, 'list', filters] as const,
  recent: (interfaceId: string) => [...auditKeys.all, 'recent', interfaceId] as const,
};

/** `vm=…&outcome=…` for the JSON API and the CSV export, in a fixed order. */
export function auditSearchParams(q: AuditQuery): URLSearchParams {
  const p = new URLSearchParams();
  const f = normalizeFilters(q);
  for (const key of FILTER_KEYS) if (f[key]) p.set(key, f[key]);
  if (q.limit !== undefined) p.set('limit', String(q.limit));
  if (q.cursor) p.set('cursor', q.cursor);
  return p;
}

const withQuery = (url: string, p: URLSearchParams) => (p.size > 0 ? `${url}?${p.toString()}` : url);

/** The CSV export of the same filters (no page): a plain link, the server answers it as a download. */
export const auditCsvHref = (apiBase: string, filters: AuditFilters) =>
  withQuery(`${apiBase}/panel/audit.csv`, auditSearchParams(normalizeFilters(filters)));

const isAbort = (e: unknown) => e instanceof DOMException && e.name === 'AbortError';

export async function getAudit(apiBase: string, q: AuditQuery, signal?: AbortSignal): Promise<AuditPage> {
  let response: Response;
  let body: string;
  try {
    response = await fetch(withQuery(`${apiBase}/panel/audit`, auditSearchParams(q)), {
      headers: { [PANEL_HEADER]: '1', Accept: 'application/json' },
      signal: signal ?? null,
    });
    body = await response.text();
  } catch (e) {
    if (isAbort(e)) throw e;
    throw networkError(e);
  }
  if (!response.ok) throw errorFromBody(response.status, body);
  const parsed = z.safeParse(pageSchema, jsonFromBody(response.status, body));
  if (!parsed.success) throw unexpectedShape(response.status, 'a page of audit entries');
  return parsed.data;
}

/** How many rows a page of the Audit view holds. */
export const AUDIT_PAGE_SIZE = 25;
/** How many changes the card's "Recent changes" shows. */
export const RECENT_LIMIT = 5;

export const auditListOptions = (apiBase: string, q: AuditQuery) =>
  queryOptions({
    queryKey: auditKeys.list(q),
    queryFn: ({ signal }) => getAudit(apiBase, q, signal),
  });

export const recentAuditOptions = (apiBase: string, interfaceId: string) =>
  queryOptions({
    queryKey: auditKeys.recent(interfaceId),
    queryFn: ({ signal }) => getAudit(apiBase, { interface: interfaceId, limit: RECENT_LIMIT }, signal),
  });

/** One page of the log; the previous page stays on screen while the next one loads. */
export function useAuditList(q: AuditQuery) {
  const { apiBase } = usePanelConfig();
  return useQuery({ ...auditListOptions(apiBase, q), placeholderData: keepPreviousData });
}

export function useRecentAudit(interfaceId: string) {
  const { apiBase } = usePanelConfig();
  return useQuery(recentAuditOptions(apiBase, interfaceId));
}
