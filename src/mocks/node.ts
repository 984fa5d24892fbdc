/** The mock for browser-free tests (Vitest): the same handlers, intercepted in Node. */
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { handlers } from './handlers.ts';

/** The panel server's own endpoint (not Katapult's), as the server answers it in demo mode. */
const panelInfo = http.get('*/_panel/config', () => HttpResponse.json({ mode: 'demo' }));

export const mockServer = setupServer(panelInfo, ...handlers);
