/** The mock for browser-free tests (Vitest): the same handlers, intercepted in Node. */
import { setupServer } from 'msw/node';
import { handlers } from './handlers.ts';

export const mockServer = setupServer(...handlers);
