/**
 * The proxy's routes and their own Fastify hooks: a route's `preHandler` runs after the request's
 * checks with the validated body and may refuse before anything leaves, its `onSend` sees Katapult's
 * answer before the panel does, and a hook reads Katapult through the same client. The change
 * path's hooks (server/changes/route-hooks.ts) never let a failure to record change the answer.
 */
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildServer } from './app.ts';
import { openAuditStore } from './audit/store.ts';
import { loadConfig } from './config.ts';
import { errorHandling } from './plugins/errors.ts';
import { hostGuard } from './plugins/host-guard.ts';
import { katapultClient } from './plugins/katapult-client.ts';
import { metrics } from './plugins/metrics.ts';
import { proxy, type RouteHooks } from './plugins/proxy.ts';
import { securityHeaders } from './plugins/security-headers.ts';
import { freshSqlitePath } from './testing/databases.ts';
import { recordingUpstream } from './test-support.ts';
import { serveUpstream, type Upstream } from './upstream.ts';

const TOKEN = 'hooks-token-0123456789';
const CHANGE_PATH = '/virtual_machine_network_interfaces/virtual_machine_network_interface/update_speed_profile';
const UPDATE_URL = `/api${CHANGE_PATH}`;
const TASK_URL = '/api/tasks/task?task%5Bid%5D=task_EvA0bkUBGZh6ATca';
const CHANGE = { virtual_machine_network_interface: { id: 'vmnet_olNAz8ThH0emHvdr' }, speed_profile: { permalink: '1gbps' } };
const PANEL = { 'x-katapult-panel': '1' };
const live = () => loadConfig({ KATAPULT_API_URL: 'https://api.example.test/core/v1', KATAPULT_API_TOKEN: TOKEN });

const closing: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closing.splice(0)) await c();
});

/** The proxy as app.ts registers it, with the plugins it stands on, and the given hooks on its routes. */
async function proxyWith(routeHooks: Record<string, RouteHooks>, upstream: Upstream) {
  const config = live();
  const served = await serveUpstream(upstream, 'https://api.example.test');
  const app = Fastify({ logger: false });
  app.addHook('onClose', served.close);
  await app.register(securityHeaders, { frameAncestors: config.frameAncestors });
  await app.register(hostGuard, { allowedHosts: config.allowedHosts, frameAncestors: config.frameAncestors, publicUrl: config.publicUrl });
  await app.register(errorHandling, { logRequests: false });
  await app.register(metrics, { token: undefined });
  await app.register(katapultClient, { config, upstreamBase: `${served.url}/core/v1`, token: TOKEN, forwardCookie: false });
  await app.register(proxy, { config, routeHooks });
  closing.push(() => app.close());
  return app;
}

describe('the proxy’s route hooks', () => {
  it('runs the change route’s preHandler after the request’s checks, with the validated body, before the PATCH leaves; its refusal is the answer', async () => {
    const { calls, upstream } = recordingUpstream(() => Response.json({ task: { id: 'task_x' } }));
    const seen: unknown[] = [];
    let refuse = true;
    const app = await proxyWith(
      {
        [CHANGE_PATH]: {
          preHandler: [
            async (request, reply) => {
              seen.push({ body: request.katapultCall?.body, method: request.method });
              if (refuse) return reply.code(503).send({ error: { code: 'audit_unavailable', description: 'down', detail: {} } });
            },
          ],
        },
      },
      upstream,
    );
    const refused = await app.inject({ method: 'PATCH', url: UPDATE_URL, payload: { ...CHANGE }, headers: PANEL });
    expect(refused.statusCode).toBe(503);
    expect(refused.json()).toMatchObject({ error: { code: 'audit_unavailable' } });
    expect(calls).toHaveLength(0);
    // A body the spec does not describe is refused by the route's checks: the hook never sees it.
    const invalid = await app.inject({ method: 'PATCH', url: UPDATE_URL, payload: { ...CHANGE, extra: 1 }, headers: PANEL });
    expect(invalid.json()).toMatchObject({ error: { code: 'invalid_request_body' } });
    refuse = false;
    expect((await app.inject({ method: 'PATCH', url: UPDATE_URL, payload: CHANGE, headers: PANEL })).statusCode).toBe(200);
    expect(calls).toHaveLength(1);
    expect(seen).toEqual([
      { body: CHANGE, method: 'PATCH' },
      { body: CHANGE, method: 'PATCH' },
    ]);
  });

  it('shows the task route’s onSend each relayed JSON answer before it leaves, and no other route’s', async () => {
    const { upstream } = recordingUpstream(() => Response.json({ task: { id: 'task_EvA0bkUBGZh6ATca', status: 'completed' } }));
    const seen: unknown[] = [];
    const app = await proxyWith(
      {
        '/tasks/task': {
          onSend: [async (request) => void seen.push({ method: request.method, ...request.katapultCall, ...request.katapultAnswer })],
        },
      },
      upstream,
    );
    const res = await app.inject({ url: TASK_URL });
    expect(res.statusCode).toBe(200);
    await app.inject({ url: '/api/virtual_machines/virtual_machine?virtual_machine%5Bid%5D=vm_x' });
    expect(seen).toEqual([
      {
        method: 'GET',
        path: '/tasks/task',
        query: '?task%5Bid%5D=task_EvA0bkUBGZh6ATca',
        body: undefined,
        status: 200,
        json: { task: { id: 'task_EvA0bkUBGZh6ATca', status: 'completed' } },
      },
    ]);
  });

  it('lets a hook read Katapult itself with the server’s token through get()', async () => {
    const { calls, upstream } = recordingUpstream((req) =>
      req.url.includes('virtual_machine_network_interface?')
        ? Response.json({ virtual_machine_network_interface: { id: 'vmnet_olNAz8ThH0emHvdr', speed_profile: { id: 'nsp_1' } } })
        : Response.json({ task: { id: 'task_x' } }),
    );
    const read: unknown[] = [];
    const app = await proxyWith(
      {
        [CHANGE_PATH]: {
          preHandler: [
            async (request) => {
              read.push(
                await request.server.panelProxy.get(request, '/virtual_machine_network_interfaces/virtual_machine_network_interface', {
                  'virtual_machine_network_interface[id]': request.katapultCall?.body?.virtual_machine_network_interface.id ?? '',
                }),
              );
            },
          ],
        },
      },
      upstream,
    );
    await app.inject({ method: 'PATCH', url: UPDATE_URL, payload: CHANGE, headers: PANEL });
    expect(read).toEqual([
      { status: 200, json: { virtual_machine_network_interface: { id: 'vmnet_olNAz8ThH0emHvdr', speed_profile: { id: 'nsp_1' } } } },
    ]);
    expect(calls[0]?.url).toBe(
      'https://api.example.test/core/v1/virtual_machine_network_interfaces/virtual_machine_network_interface?virtual_machine_network_interface%5Bid%5D=vmnet_olNAz8ThH0emHvdr',
    );
    expect(calls[0]?.headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
    expect(calls[1]?.method).toBe('PATCH');
  });
});

describe('the change path’s hooks', () => {
  it('log a failure to record the change’s answer, and the panel still gets Katapult’s answer', async () => {
    const { upstream } = recordingUpstream((req) =>
      req.method === 'PATCH' ? Response.json({ task: { id: 'task_EvA0bkUBGZh6ATca', status: 'pending' } }) : Response.json({}, { status: 404 }),
    );
    const config = loadConfig({ KATAPULT_API_URL: 'https://api.example.test/core/v1', KATAPULT_API_TOKEN: TOKEN, AUDIT_DB: freshSqlitePath() });
    const store = await openAuditStore(config.audit);
    // A store that fails at once (not with a rejected promise): nothing between it and the answer catches it.
    store.recordAnswer = () => {
      throw new Error('disk on fire');
    };
    const lines: string[] = [];
    const app = await buildServer(config, {
      upstream,
      audit: store,
      follower: 'manual',
      distDir: null,
      logger: { level: 'info', stream: { write: (l: string) => void lines.push(l) } },
    });
    closing.push(() => app.close());
    const res = await app.inject({ method: 'PATCH', url: UPDATE_URL, payload: CHANGE, headers: PANEL });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ task: { id: 'task_EvA0bkUBGZh6ATca', status: 'pending' } });
    const errors = lines.map((l) => JSON.parse(l) as { level: number; msg: string }).filter((l) => l.level >= 50);
    expect(errors.map((l) => l.msg)).toEqual(['audit: the change’s answer not recorded']);
  });
});
