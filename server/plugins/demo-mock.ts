/**
 * Demo mode's embedded mock. Each browser gets its own demo state: a page load without the mock's
 * session cookie is given one, and the proxy forwards it to the mock, which keys its state on it.
 * The mock's test controls (/__mock/*: reset, faults, request log) are mounted only when the test
 * suite asks (PANEL_MOCK_CONTROLS=1), and even then answer only the panel's own pages (panel
 * header, configured Origin).
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { randomUUID } from 'node:crypto';
import { SESSION_COOKIE, sessionCookie, sessionFromCookie } from '../../mock/db.ts';
import { sendError } from '../http-errors.ts';
import { DEMO_ORIGIN, type Upstream } from '../upstream.ts';

export interface DemoMockOptions {
  upstream: Upstream;
  controls: boolean;
}

/**
 * The mock session a request's cookie names (the mock's own fallback is `default`): the mock's own
 * parse, so the lock and the audit scope are always the data the mock serves.
 */
export const demoSessionOf = (cookie: string | undefined) => sessionFromCookie(cookie) ?? 'default';

const SCOPE_PREFIX = 'demo:';

/** The scope of a demo browser's locks and audit records. */
export const demoScopeOf = (cookie: string | undefined) => SCOPE_PREFIX + demoSessionOf(cookie);

/** The Cookie header naming a scope's session (the follower's), which the mock reads back as that very session. */
export const demoCookieOfScope = (scope: string) => (scope.startsWith(SCOPE_PREFIX) ? sessionCookie(scope.slice(SCOPE_PREFIX.length)) : undefined);

// fastify-plugin: the session cookie is given on any page load, so its onRequest hook must reach the root.
export const demoMock = fp(
  async (app: FastifyInstance, { upstream, controls }: DemoMockOptions) => {
    app.addHook('onRequest', async (req, reply) => {
      const navigation = req.method === 'GET' && (req.headers.accept ?? '').includes('text/html');
      if (!navigation || sessionFromCookie(req.headers.cookie) !== undefined) return;
      const session = randomUUID();
      reply.header('set-cookie', `${SESSION_COOKIE}=${session}; Path=/; HttpOnly; SameSite=Lax`);
    });
    if (!controls) return;
    app.route({
      method: ['GET', 'POST', 'DELETE'],
      url: '/__mock/*',
      onRequest: app.refuseCrossSite,
      handler: async (req, reply) => {
        const headers = new Headers({ accept: 'application/json' });
        if (req.headers.cookie) headers.set('cookie', req.headers.cookie);
        const hasBody = req.method === 'POST' && req.body !== undefined;
        if (hasBody) headers.set('content-type', 'application/json');
        const path = req.url.split('?')[0] ?? '';
        try {
          const res = await upstream(
            new Request(DEMO_ORIGIN + path, { method: req.method, headers, body: hasBody ? JSON.stringify(req.body) : null }),
          );
          reply.code(res.status).header('content-type', 'application/json; charset=utf-8').header('cache-control', 'no-store');
          return reply.send(Buffer.from(await res.arrayBuffer()));
        } catch {
          return sendError(reply, 502, 'mock_failed', 'The demo mock failed to answer its control.');
        }
      },
    });
  },
  { name: 'panel-demo-mock', dependencies: ['panel-host-guard'] },
);
