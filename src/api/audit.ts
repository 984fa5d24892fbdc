/**
 * The panel server's audit log (`GET /api/panel/audit` and its CSV), through the same openapi-fetch
 * client and middleware as Katapult's: one error path, the panel header and the user's token on each.
 */
import { queryOptions } from '@tanstack/react-query';
import * as z from 'zod/mini';
import { auditPageSchema, type AuditQuery } from '../../protocol/audit.ts';
import { request, type ApiClient } from './client.ts';

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

/** The CSV of the filtered rows, fetched like every other call (the user's token included, the same error path) for a download. */
export const getAuditCsv = (api: ApiClient, filters: AuditFilters, signal?: AbortSignal): Promise<Blob> =>
  request(api.GET('/panel/audit.csv', { params: { query: normalizeFilters(filters) }, parseAs: 'blob', signal }), z.instanceof(Blob), 'a CSV file');

/** The CSV's address, for the "Export CSV" link (opened in a new tab or copied). */
export function auditCsvHref(apiBase: string, filters: AuditFilters): string {
  const query = new URLSearchParams(normalizeFilters(filters) as Record<string, string>).toString();
  return `${apiBase}/panel/audit.csv${query ? `?${query}` : ''}`;
}
