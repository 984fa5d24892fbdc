/**
 * Demo mode, per browser (issue 28, finding 9): each demo session's audit is its own, the lock and
 * the mock read the session cookie by one parse, and the embedded mock's loopback listener answers
 * only its own address, with Katapult's API and none of the mock's controls.
 */
import { request } from 'undici';
import type * as UpstreamModule from './upstream.ts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AuditListAnswer } from '../protocol/audit.ts';
import { sessionFromCookie } from '../mock/db.ts';
import { buildServer } from './app.ts';
import { openAuditStore } from './audit/store.ts';
import { loadConfig } from './config.ts';
import { demoCookieOfScope, demoScopeOf } from './plugins/demo-mock.ts';
import { demoUserName } from './audit/demo-user.ts';
import { freshDatabaseEnv } from './testing/databases.ts';

/** The loopback listeners the app starts, so a test can call the embedded mock as a neighbour on the machine would. */
const listeners = vi.hoisted(() => [] as string[]);
vi.mock('./upstream.ts', async (importOriginal) => {
  const mod = await importOriginal<typeof UpstreamModule>();
  return {
    ...mod,
    serveUpstream: async (...args: Parameters<typeof mod.serveUpstream>) => {
      const served = await mod.serveUpstream(...args);
      listeners.push(served.url);
      return served;
    },
  };
});

const PANEL = { 'x-katapult-panel': '1', 'content-type': 'application/json' };
const CHANGE_URL = '/api/virtual_machine_network_interfaces/virtual_machine_network_interface/update_speed_profile';
const NIC = 'vmnet_olNAz8ThH0emHvdr';
const change = { virtual_machine_network_interface: { id: NIC }, speed_profile: { permalink: '10gbps' } };
const cookie = (session: string) => ({ cookie: `katapult-mock-session=${session}` });

async function demoServer() {
  const config = loadConfig({ ...(await freshDatabaseEnv('sqlite')) });
  const app = await buildServer(config, { logger: false, distDir: null, audit: await openAuditStore(config.audit) });
  cleanup.push(() => app.close());
  return app;
}

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

describe('demo mode, one browser at a time', () => {
  it('lists and exports only the changes of the browser’s own demo session', async () => {
    const app = await demoServer();
    const run = `audit-${process.pid}-${Date.now()}`;
    for (const s of ['a', 'b']) {
      const res = await app.inject({ method: 'PATCH', url: CHANGE_URL, payload: change, headers: { ...PANEL, ...cookie(`${run}-${s}`) } });
      expect(res.statusCode).toBe(200);
    }
    const list = (s: string) => app.inject({ url: '/api/panel/audit', headers: cookie(`${run}-${s}`) });
    // Each session's own change, by its own demo user (its history is by colleagues).
    const own = async (s: string) => (await list(s)).json<AuditListAnswer>().entries.filter((e) => e.user === demoUserName(`${run}-${s}`));
    const a = await own('a');
    const b = await own('b');
    expect(a).toHaveLength(1);
    expect(b).toHaveLength(1);
    expect(a[0]!.id).not.toBe(b[0]!.id);
    const c = (await list('c')).json<AuditListAnswer>().entries;
    expect(c.map((e) => e.id)).not.toContain(a[0]!.id);
    expect(c.map((e) => e.id)).not.toContain(b[0]!.id);
    expect(await own('c')).toEqual([]);

    const csv = (s: string) => app.inject({ url: '/api/panel/audit.csv', headers: cookie(`${run}-${s}`) }).then((r) => r.body);
    const csvA = await csv('a');
    expect(csvA).toContain(a[0]!.id);
    expect(csvA).not.toContain(b[0]!.id);
    expect((await csv('c')).trim().split('\n')).toHaveLength(c.length + 1);
  });

  it('starts each new session with a few days of colleagues’ changes on its own mock data, written once', async () => {
    const app = await demoServer();
    const session = `history-${process.pid}-${Date.now()}`;
    const list = async () => (await app.inject({ url: '/api/panel/audit?limit=100', headers: cookie(session) })).json<AuditListAnswer>().entries;
    const [first, again] = await Promise.all([list(), list()]);
    expect(first.length).toBeGreaterThanOrEqual(10);
    expect(again.map((e) => e.id)).toEqual(first.map((e) => e.id));
    expect((await list()).map((e) => e.id)).toEqual(first.map((e) => e.id));
    const now = Date.now();
    expect(first.every((e) => Date.parse(e.at) < now && Date.parse(e.at) > now - 5 * 86_400_000)).toBe(true);
    expect(first.every((e) => e.user !== demoUserName(session) && /^demo-user-[a-z]+-[0-9a-f]{2}$/.test(e.user))).toBe(true);
    // What the history says an interface is on now is what the session's mock says.
    for (const back of first.filter((e) => e.can_change_back)) {
      const res = await app.inject({
        url: `/api/virtual_machine_network_interfaces/virtual_machine_network_interface?virtual_machine_network_interface[id]=${back.interface_id}`,
        headers: { ...PANEL, ...cookie(session) },
      });
      expect(res.json<{ virtual_machine_network_interface: { speed_profile: { id: string } } }>().virtual_machine_network_interface.speed_profile.id).toBe(back.to_profile.id);
    }
    // Another session has a history of its own: none of these records.
    const other = (await app.inject({ url: '/api/panel/audit', headers: cookie(`${session}-other`) })).json<AuditListAnswer>().entries;
    expect(other.map((e) => e.id).filter((id) => first.some((e) => e.id === id))).toEqual([]);
  });

  it('reads an encoded session cookie as the mock does: `%64ave` is dave’s data, under dave’s lock and in dave’s audit', async () => {
    const app = await demoServer();
    const dave = `dave-${process.pid}-${Date.now()}`;
    const encoded = `%64${dave.slice(1)}`;
    const first = await app.inject({ method: 'PATCH', url: CHANGE_URL, payload: change, headers: { ...PANEL, ...cookie(dave) } });
    expect(first.statusCode).toBe(200);
    // The same session by another spelling: the same interface, so the same lock holds it.
    const second = await app.inject({ method: 'PATCH', url: CHANGE_URL, payload: change, headers: { ...PANEL, ...cookie(encoded) } });
    expect(second.statusCode).toBe(409);
    expect(second.json()).toMatchObject({ error: { code: 'change_in_progress' } });
    const seen = (await app.inject({ url: '/api/panel/audit', headers: cookie(encoded) })).json<AuditListAnswer>().entries;
    expect(seen.filter((e) => e.user === demoUserName(dave)).map((e) => e.blocking)).toEqual([true]);
  });

  it('gives the follower a cookie that the mock reads as the change’s own session, whatever the session holds', () => {
    for (const cookie of ['katapult-mock-session=a%3Bb', 'katapult-mock-session=%64ave', 'katapult-mock-session=%E0%A4%A', '']) {
      const scope = demoScopeOf(cookie);
      expect(`demo:${sessionFromCookie(demoCookieOfScope(scope)) ?? 'default'}`).toBe(scope);
    }
  });

  it('gives no session cookie to a page that already names one by an encoded spelling', async () => {
    const app = await demoServer();
    const res = await app.inject({ url: '/', headers: { accept: 'text/html', cookie: 'katapult-mock-session=%64ave' } });
    expect(res.headers['set-cookie']).toBeUndefined();
  });
});

describe('the embedded mock’s loopback listener', () => {
  it('answers only its own address as Host, serves Katapult’s API, and none of the mock’s controls', async () => {
    listeners.length = 0;
    // Controls mounted on the panel (as the test suite does): even then the listener has none.
    const config = loadConfig({ ...(await freshDatabaseEnv('sqlite')), PANEL_MOCK_CONTROLS: '1' });
    const app = await buildServer(config, { logger: false, distDir: null });
    cleanup.push(() => app.close());
    expect(listeners).toHaveLength(1);
    const url = new URL(listeners[0]!);
    const call = async (method: 'GET' | 'POST', path: string, host = url.host) => {
      const res = await request(url.origin + path, { method, headers: { host, cookie: 'katapult-mock-session=neighbour' } });
      return { status: res.statusCode, body: await res.body.text() };
    };

    const rebound = await call('GET', '/__mock/state', 'demo.attacker.example');
    expect(rebound.status).toBe(421);
    expect(rebound.body).not.toContain('interfaces');
    expect((await call('GET', '/core/v1/tasks/task?task[id]=task_none', 'localhost')).status).toBe(421);

    for (const [method, path] of [['GET', '/__mock/state'], ['GET', '/__mock/requests'], ['POST', '/__mock/reset'], ['POST', '/__mock/faults']] as const) {
      const res = await call(method, path);
      expect({ path, status: res.status, code: (JSON.parse(res.body) as { error?: { code?: string } }).error?.code }).toEqual({
        path,
        status: 404,
        code: 'route_not_found',
      });
    }
    const api = await call('GET', '/core/v1/tasks/task?task[id]=task_none');
    expect(api.status).toBe(404);
    expect(api.body).toContain('task_not_found');
  });
});
