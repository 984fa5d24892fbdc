/**
 * One change at a time per interface: the database lets one change hold an interface, on one server
 * or several sharing PostgreSQL; the lock goes with the task's end, or after CHANGE_LOCK_MINUTES
 * without a task answer (the server's clock is injected, nothing waits). Each runs on both databases.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AuditEntry, AuditListAnswer, ChangeInProgressDetail } from '../protocol/audit.ts';
import type { KatapultErrorEnvelope } from '../protocol/panel.ts';
import { buildServer } from './app.ts';
import { CHANGE_CONTEXT_HEADER } from './audit/context.ts';
import { ChangeInProgress, openAuditStore } from './audit/store.ts';
import { loadConfig } from './config.ts';
import { DATABASE_KINDS, freshAuditConfig, freshDatabaseEnv, type DatabaseKind } from './testing/databases.ts';
import { spawnServer } from './testing/spawn-server.ts';
import { auditedServer, recordingUpstream, testClock } from './test-support.ts';
import { serveUpstream } from './upstream.ts';

const PANEL = { 'x-katapult-panel': '1', 'content-type': 'application/json' };
const CHANGE_URL = '/api/virtual_machine_network_interfaces/virtual_machine_network_interface/update_speed_profile';
const NIC = 'vmnet_olNAz8ThH0emHvdr';
const MINUTE = 60_000;
const body = (permalink = '10gbps', nic = NIC) => ({ virtual_machine_network_interface: { id: nic }, speed_profile: { permalink } });
const context = (to: string) => encodeURIComponent(JSON.stringify({ to_profile_name: to }));

/**
 * Katapult as the proxy sees it: each PATCH starts a task, whose answers say `taskStatus`; the
 * interface, its VM and the organization's profiles name what the audit records.
 */
function katapult() {
  const state = { taskStatus: 'running', tasks: 0 };
  const rec = recordingUpstream((req) => {
    const url = new URL(req.url);
    if (req.method === 'PATCH') return Response.json({ task: { id: `task_Lock${++state.tasks}`, status: 'pending' } });
    if (url.pathname.endsWith('/tasks/task')) return Response.json({ task: { id: url.searchParams.get('task[id]'), status: state.taskStatus } });
    if (url.pathname.endsWith('/virtual_machines/virtual_machine')) {
      return Response.json({ virtual_machine: { id: 'vm_t8yomYsG4bccKw5D', organization: { id: 'org_Examp1e0rg00001' } } });
    }
    if (url.pathname.endsWith('/network_speed_profiles')) {
      return Response.json({
        pagination: { current_page: 1, total_pages: 1 },
        network_speed_profiles: ['100 Mbps', '1 Gbps', '10 Gbps'].map((name) => ({ name, permalink: name.replace(' ', '').toLowerCase() })),
      });
    }
    return Response.json({
      virtual_machine_network_interface: {
        id: NIC,
        virtual_machine: { id: 'vm_t8yomYsG4bccKw5D', name: 'web-01' },
        speed_profile: { id: 'nsp_100MbpsProfil001', name: '100 Mbps' },
      },
    });
  });
  return { ...rec, state, patches: () => rec.calls.filter((c) => c.method === 'PATCH').length };
}

/** A clock the test moves by hand. */
const clock = () => testClock('2026-12-04T09:00:00.000Z');

const tally = (statuses: number[]) => ({
  forwarded: statuses.filter((s) => s === 200).length,
  refused: statuses.filter((s) => s === 409).length,
});

describe.each(DATABASE_KINDS)('one change at a time per interface, on %s', (kind: DatabaseKind) => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c().catch(() => {});
  }, 60_000);

  async function server(env: Record<string, string> = {}, c = clock()) {
    const k = katapult();
    // The follower looks only when a test runs its round (`app.panelFollower.tick()`).
    const { app, store } = await auditedServer(kind, {
      env: { KATAPULT_API_TOKEN: 'lock-test-token', TRUSTED_USER_HEADER: 'X-Forwarded-Email', ...env },
      now: c.now,
      build: { upstream: k.upstream, follower: 'manual' },
    });
    cleanup.push(() => app.close());
    const change = (user: string, permalink = '10gbps', to = '10 Gbps') =>
      app.inject({
        method: 'PATCH',
        url: CHANGE_URL,
        payload: body(permalink),
        headers: { ...PANEL, 'x-forwarded-email': user, [CHANGE_CONTEXT_HEADER]: context(to) },
      });
    const list = async () => (await app.inject({ url: `/api/panel/audit?interface=${NIC}` })).json<AuditListAnswer>().entries;
    const task = (id: string) => app.inject({ url: `/api/tasks/task?task%5Bid%5D=${id}` });
    return { app, k, store, clock: c, change, list, task };
  }

  it('answers 20 simultaneous changes of one interface with 1 forwarded and 19 refused, and records 1', async () => {
    const { app, k, list } = await server();
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        fetch(base + CHANGE_URL, { method: 'PATCH', headers: { ...PANEL, 'x-forwarded-email': `user${i}@staff.example` }, body: JSON.stringify(body()) }).then(
          async (r) => ({ status: r.status, json: (await r.json()) as KatapultErrorEnvelope }),
        ),
      ),
    );
    const { forwarded, refused } = tally(answers.map((a) => a.status));
    const recorded = (await list()).length;
    console.info(`[change lock] ${kind}, one server, 20 at once: forwarded ${k.patches()} / refused ${refused} / recorded ${recorded}`);
    expect({ forwarded, refused, atKatapult: k.patches(), recorded }).toEqual({ forwarded: 1, refused: 19, atKatapult: 1, recorded: 1 });
    expect(answers.filter((a) => a.status === 409).every((a) => a.json.error.code === 'change_in_progress')).toBe(true);
  });

  it('answers 50 simultaneous changes, half of them naming the interface in a query string: none of those forwarded or recorded, 1 forwarded, recorded with its interface', async () => {
    const { app, k, list } = await server();
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    // The probe: Katapult merges the query string into the body's arguments, so this body
    // would change the interface without naming it to the lock or the audit.
    const sneaky = `?virtual_machine_network_interface%5Bid%5D=${NIC}&speed_profile%5Bpermalink%5D=10gbps`;
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => {
        const viaQuery = i % 2 === 0;
        return fetch(base + CHANGE_URL + (viaQuery ? sneaky : ''), {
          method: 'PATCH',
          headers: { ...PANEL, 'x-forwarded-email': `user${i}@staff.example` },
          body: JSON.stringify(viaQuery ? { virtual_machine_network_interface: {}, speed_profile: {} } : body()),
        }).then(async (r) => ({ viaQuery, status: r.status, json: (await r.json()) as KatapultErrorEnvelope }));
      }),
    );
    const viaQuery = answers.filter((a) => a.viaQuery);
    expect(viaQuery.map((a) => `${a.status} ${a.json.error.code}`)).toEqual(Array(25).fill('400 query_parameter_not_allowed'));
    const { forwarded, refused } = tally(answers.filter((a) => !a.viaQuery).map((a) => a.status));
    expect({ forwarded, refused, atKatapult: k.patches() }).toEqual({ forwarded: 1, refused: 24, atKatapult: 1 });
    expect(k.calls.every((c) => new URL(c.url).search === '' || c.method === 'GET')).toBe(true);
    const recorded = await list();
    expect(recorded.map((e) => e.interface_id)).toEqual([NIC]);
    expect(recorded[0]).toMatchObject({ to_profile: { permalink: '10gbps', name: '10 Gbps' }, from_source: 'katapult' });
  });

  it('refuses a second change with 409 change_in_progress naming who, when and to what, and shows the lock in the list first', async () => {
    const { k, change, list } = await server();
    expect((await change('alice@staff.example', '10gbps', '10 Gbps')).statusCode).toBe(200);
    // Before anyone presses the button, the card's "Recent changes" can say the interface is busy.
    const [holder] = await list();
    expect(holder).toMatchObject({ user: 'alice@staff.example', outcome: 'running', blocking: true, expired: false, expired_at: null });
    expect(holder!.blocking_until).toBe('2026-12-04T09:15:00.000Z');
    const res = await change('bob@staff.example', '1gbps', '1 Gbps');
    expect(res.statusCode).toBe(409);
    expect(res.headers['cache-control']).toBe('no-store');
    const { error } = res.json<{ error: { code: string; description: string; detail: ChangeInProgressDetail } }>();
    expect(error.code).toBe('change_in_progress');
    expect(error.description).toContain('alice@staff.example');
    expect(error.description).toContain('10 Gbps');
    expect(error.description).toContain('2026-12-04T09:00:00.000Z');
    expect(error.detail).toMatchObject({
      user: 'alice@staff.example',
      started_at: '2026-12-04T09:00:00.000Z',
      to_profile: { permalink: '10gbps', name: '10 Gbps' },
      blocking_until: '2026-12-04T09:15:00.000Z',
      change: { id: holder!.id, blocking: true, expired: false },
    });
    expect(k.patches()).toBe(1);
    // Nothing at all reached Katapult for the refused change: not even the interface read (alice's
    // change read the interface, its VM and the organization's profiles, then sent the PATCH).
    expect(k.calls).toHaveLength(4);
    expect((await list()).map((e) => e.user)).toEqual(['alice@staff.example']);
  });

  it('lets the next change through the moment the server’s follower sees the task end', async () => {
    const { app, k, change, list, clock: c } = await server();
    expect((await change('alice@staff.example')).statusCode).toBe(200);
    c.tick(1000);
    await app.panelFollower.tick();
    expect((await change('bob@staff.example')).statusCode).toBe(409);
    k.state.taskStatus = 'completed';
    c.tick(1000);
    await app.panelFollower.tick();
    expect((await list())[0]).toMatchObject({ outcome: 'completed', blocking: false, expired: false });
    // Change back: the same single PATCH, under the same lock.
    expect((await change('bob@staff.example', '100mbps')).statusCode).toBe(200);
    expect(k.patches()).toBe(2);
    expect((await list()).map((e) => [e.user, e.blocking])).toEqual([
      ['bob@staff.example', true],
      ['alice@staff.example', false],
    ]);
  });

  it('stops blocking after CHANGE_LOCK_MINUTES without a task answer; the retired change reads never seen to end', async () => {
    const { k, change, list, task, clock: c } = await server({ CHANGE_LOCK_MINUTES: '15' });
    expect((await change('alice@staff.example')).statusCode).toBe(200);
    c.tick(10 * MINUTE);
    // A task answer still showing it running keeps it blocking, 15 minutes from then.
    await task('task_Lock1');
    c.tick(14 * MINUTE);
    expect((await change('bob@staff.example')).statusCode).toBe(409);
    expect((await list())[0]).toMatchObject({ blocking: true, blocking_until: '2026-12-04T09:25:00.000Z' });
    c.tick(MINUTE + 1);
    // Not seen for 15 minutes: no longer blocking, even before anyone tries again.
    expect((await list())[0]).toMatchObject({ user: 'alice@staff.example', outcome: 'running', blocking: false, expired: true, expired_at: '2026-12-04T09:25:00.000Z' });
    const retiredAt = c.now().toISOString();
    expect((await change('bob@staff.example')).statusCode).toBe(200);
    expect(k.patches()).toBe(2);
    const [bob, alice] = await list();
    expect(bob).toMatchObject({ user: 'bob@staff.example', blocking: true, expired: false });
    expect(alice).toMatchObject({ user: 'alice@staff.example', outcome: 'running', ended_at: null, blocking: false, expired: true, expired_at: retiredAt });
    // A late answer for the retired change records its end but never takes the interface back.
    k.state.taskStatus = 'completed';
    await task('task_Lock1');
    expect((await list()).map((e) => [e.user, e.outcome, e.blocking])).toEqual([
      ['bob@staff.example', 'running', true],
      ['alice@staff.example', 'completed', false],
    ]);
  });

  it('lets one of many changes in when they all find the same stale holder', async () => {
    const config = await freshAuditConfig(kind);
    const c = clock();
    const store = await openAuditStore(config, { now: c.now });
    cleanup.push(() => store.close());
    const change = (user: string) => ({ user, interfaceId: NIC, fromSource: 'panel' as const, toProfile: { permalink: '1gbps' } });
    await store.recordChange(change('alice'));
    c.tick(16 * MINUTE);
    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => store.recordChange(change(`user${i}`))));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refusals = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as unknown);
    expect(refusals).toHaveLength(9);
    expect(refusals.every((e) => e instanceof ChangeInProgress)).toBe(true);
    const entries: AuditEntry[] = (await store.list({}, { limit: 100 })).entries;
    expect(entries.filter((e) => e.blocking)).toHaveLength(1);
    expect(entries.find((e) => e.user === 'alice')).toMatchObject({ expired: true, outcome: 'pending' });
  });

  it('locks each interface on its own', async () => {
    const { app, k } = await server();
    for (const nic of [NIC, 'vmnet_W3b01Priv4teLan1']) {
      const res = await app.inject({ method: 'PATCH', url: CHANGE_URL, payload: body('1gbps', nic), headers: PANEL });
      expect(res.statusCode).toBe(200);
    }
    expect(k.patches()).toBe(2);
  });
});

describe('one change at a time in demo mode', () => {
  it('locks each browser’s demo data apart: another mock session’s change does not block', async () => {
    const config = loadConfig({ ...(await freshDatabaseEnv('sqlite')) });
    const store = await openAuditStore(config.audit);
    const app = await buildServer(config, { logger: false, distDir: null, audit: store });
    try {
      const change = (session: string) =>
        app.inject({ method: 'PATCH', url: CHANGE_URL, payload: body(), headers: { ...PANEL, cookie: `katapult-mock-session=${session}` } });
      const run = `lock-${process.pid}-${Date.now()}`;
      // Each session's history is dated before the test: its own changes are those from now on.
      const started = Date.now();
      expect((await change(`${run}-a`)).statusCode).toBe(200);
      expect((await change(`${run}-a`)).statusCode).toBe(409);
      expect((await change(`${run}-b`)).statusCode).toBe(200);
      // Each browser lists its own change only, holding its own lock.
      for (const s of ['a', 'b']) {
        const mine = await app.inject({ url: `/api/panel/audit?interface=${NIC}`, headers: { cookie: `katapult-mock-session=${run}-${s}` } });
        expect(mine.json<AuditListAnswer>().entries.filter((e) => Date.parse(e.at) >= started).map((e) => e.blocking)).toEqual([true]);
      }
    } finally {
      await app.close();
    }
  });
});

describe('one change at a time across two server processes sharing PostgreSQL', () => {
  it('forwards 1 of 20 simultaneous changes sent to two servers, refuses 19, and records 1', async () => {
    const k = katapult();
    const standIn = await serveUpstream(k.upstream, 'http://katapult.test');
    const env = {
      ...(await freshDatabaseEnv('postgres')),
      KATAPULT_API_URL: `${standIn.url}/core/v1`,
      KATAPULT_API_TOKEN: 'lock-test-token',
    };
    const servers = await Promise.all([spawnServer(env), spawnServer(env)]);
    try {
      const statuses = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          fetch(servers[i % 2]!.url + CHANGE_URL, { method: 'PATCH', headers: PANEL, body: JSON.stringify(body()) }).then((r) => r.status),
        ),
      );
      const { forwarded, refused } = tally(statuses);
      const entries = (await (await fetch(`${servers[1]!.url}/api/panel/audit?interface=${NIC}`)).json()) as AuditListAnswer;
      const recorded = entries.entries.length;
      console.info(`[change lock] postgres, two server processes, 20 at once: forwarded ${k.patches()} / refused ${refused} / recorded ${recorded}`);
      expect({ forwarded, refused, atKatapult: k.patches(), recorded }).toEqual({ forwarded: 1, refused: 19, atKatapult: 1, recorded: 1 });
      // The server that did not forward refused all of its 10: the lock it met was taken by the other process.
      const perServer = [0, 1].map((n) => statuses.filter((_, i) => i % 2 === n));
      expect(perServer.some((answers) => answers.every((status) => status === 409))).toBe(true);
    } finally {
      await Promise.all(servers.map((s) => s.kill()));
      await standIn.close();
    }
    // Two real server processes start here (tsx compiles the server in each): slow on a busy machine.
  }, 180_000);
});
