/**
 * The panel server's own endpoints under `/api` (not Katapult's), in openapi-typescript's shape, so
 * the one openapi-fetch client (src/api/client.ts) calls them with the same middleware as Katapult's.
 */
import type { AuditPage, AuditQuery } from './audit.ts';
import type { PanelMe } from './panel.ts';

interface Get<Query, Answer> {
  get: {
    parameters: { query?: Query; header?: never; path?: never; cookie?: never };
    requestBody?: never;
    responses: { 200: { headers: Record<string, unknown>; content: { 'application/json': Answer } } };
  };
}

/** What `/api/_panel/config` says of the server: is it answering from the demo mock? */
export interface PanelInfo {
  mode: 'demo' | 'live';
}

export interface PanelPaths {
  '/_panel/config': Get<never, PanelInfo>;
  '/panel/audit': Get<AuditQuery, AuditPage>;
  '/panel/audit.csv': Get<Omit<AuditQuery, 'limit' | 'cursor'>, string>;
  '/panel/me': Get<never, PanelMe>;
}
