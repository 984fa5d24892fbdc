/**
 * The panel server's own endpoints (its mode and its audit log), through the same openapi-fetch
 * client and middleware as Katapult's: one error path, the panel header and the user's token on each.
 */
import { queryOptions } from '@tanstack/react-query';
import * as z from 'zod/mini';
import { auditPageSchema, type AuditQuery } from '../../protocol/audit.ts';
import { request, type ApiClient } from './client.ts';

const me = z.looseObject({
  user: z.nullable(z.string()),
  groups: z.array(z.string()),
  may_change: z.boolean(),
  reason: z.nullable(z.string()),
});

/** Who the server takes the user to be, and whether it lets them change speed profiles (it decides; the UI shows it). */
export const meOptions = (api: ApiClient) =>
  queryOptions({
    queryKey: ['panel-me'] as const,
    queryFn: ({ signal }) => request(api.GET('/panel/me', { signal }), me, 'who you are to the panel’s server'),
    staleTime: 5 * 60_000,
  });

const info = z.looseObject({ mode: z.catch(z.enum(['demo', 'live']), 'live') });

export const panelInfoOptions = (api: ApiClient) =>
  // The server's mode does not change while the page is open.
  queryOptions({
    queryKey: ['panel-info'] as const,
    queryFn: ({ signal }) => request(api.GET('/_panel/config', { signal }), info, 'the panel server’s configuration'),
    staleTime: Infinity,
  });

export const AUDIT_FILTER_KEYS = ['vm', 'interface', 'user', 'outcome', 'from', 'to'] as const;
export type AuditFilters = Pick<AuditQuery, (typeof AUDIT_FILTER_KEYS)[number]>;

/** The same filters with empty values left out, so equal filters give equal query keys and URLs. */
export function normalizeFilters(f: AuditFilters): AuditFilters {
  const out: AuditFilters = {};
  for (const key of AUDIT_FILTER_KEYS) {
    const v = f[key]?.trim();
    if (v) out[key] = v;
  }
  return out;
}

export const auditKeys = {
  all: ['audit'] as const,
  list: (q: AuditQuery) => [...auditKeys.all, 'list', q] as const,
  recent: (interfaceId: string) => [...auditKeys.all, 'recent', interfaceId] as const,
};

export const getAudit = (api: ApiClient, q: AuditQuery, signal?: AbortSignal) =>
  request(api.GET('/panel/audit', { params: { query: { ...normalizeFilters(q), limit: q.limit, cursor: q.cursor } }, signal }), auditPageSchema, 'a page of audit entries');

/** How many rows a page of the Audit view holds. */
export const AUDIT_PAGE_SIZE = 25;
/** How many changes the card's "Recent changes" shows. */
export const RECENT_LIMIT = 5;

export const auditListOptions = (api: ApiClient, q: AuditQuery) =>
  queryOptions({ queryKey: auditKeys.list(q), queryFn: ({ signal }) => getAudit(api, q, signal) });

/** The interface's last changes, by anyone: the card's "Recent changes", and whether one is still running. */
export const recentAuditOptions = (api: ApiClient, interfaceId: string) =>
  queryOptions({
    queryKey: auditKeys.recent(interfaceId),
    queryFn: ({ signal }) => getAudit(api, { interface: interfaceId, limit: RECENT_LIMIT }, signal),
  });

/** The CSV of the filtered rows, fetched like every other call (the user's token included) for a download. */
export async function getAuditCsv(api: ApiClient, filters: AuditFilters): Promise<Blob> {
  const { data, response } = await api.GET('/panel/audit.csv', { params: { query: normalizeFilters(filters) }, parseAs: 'blob' });
  return data ?? (await response.blob());
}
