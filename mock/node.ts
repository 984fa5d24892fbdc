/** The mock for browser-free tests (Vitest): the same handlers, intercepted in Node. */
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { handlers } from './handlers.ts';

/** The panel server's own endpoint (not Katapult's), as the server answers it in demo mode. */
const panelInfo = http.get('*/_panel/config', () => HttpResponse.json({ mode: 'demo' }));

/** The panel server's audit log, empty unless a test sets its own entries (src/features/audit/testing). */
const emptyAudit = http.get('*/panel/audit', () => HttpResponse.json({ entries: [], next_cursor: null }));

/** Who the member is to the panel's server: as it answers without CHANGE_GROUPS (anyone may change), unless a test says otherwise. */
const anyoneMayChange = http.get('*/panel/me', () => HttpResponse.json({ user: null, groups: [], may_change: true, reason: null, change_groups: null }));

export const mockServer = setupServer(panelInfo, emptyAudit, anyoneMayChange, ...handlers);
