/**
 * The server follows every change to its end with no browser open: the follower's rounds are driven
 * by hand (`follower: 'manual'`) on a clock the test moves, so nothing waits on the wall clock.
 * Each runs on SQLite and on PostgreSQL.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../protocol/audit.ts';
import { buildServer } from './app.ts';
import { openAuditStore, type AuditStore } from './audit/store.ts';
import { createFollower, LEASE_MS } from './changes/follower.ts';
import { loadConfig } from './config.ts';
import { DATABASE_KINDS, freshDatabaseEnv, type DatabaseKind } from './testing/databases.ts';
import { freePort } from './testing/postgres.ts';
import { auditedServer, recordingUpstream, testClock } from './test-support.ts';

const PANEL = { 'x-katapult-panel': '1', 'content-type': 'application/json' };
const CHANGE_URL = '/api/virtual_machine_network_interfaces/virtual_machine_network_interface/update_speed_profile';
const NIC = 'vmnet_olNAz8ThH0emHvdr';
const MINUTE = 60_000;
const body = (permalink = '10gbps') => ({ virtual_machine_network_interface: { id: NIC }, speed_profile: { permalink } });

/**
 * Katapult: each PATCH starts a task whose answers say `task.status`; `task.answer` overrides the
 * answer (429, 503); the interface shows `profile`.
 */
function katapult() {
  const state = {
    status: 'running' as string,
    progress: 40,
    profile: '100mbps',
    tasks: 0,
    answer: undefined as (() => Response) | undefined,
    patch: undefined as (() => Response | Promise<Response>) | undefined,
  };
  const rec = recordingUpstream(async (req) => {
    const url = new URL(req.url);
    if (req.method === 'PATCH') {
      if (state.patch) return state.patch();
      return Response.json({ task: { id: `task_Follow${++state.tasks}`, status: 'pending' } });
    }
    if (url.pathname.endsWith('/tasks/task')) {
      if (state.answer) return state.answer();
      return Response.json({ task: { id: url.searchParams.get('task[id]'), name: 'Change speed profile', status: state.status, progress: state.progress } });
    }
    return Response.json({
      virtual_machine_network_interface: {
        id: NIC,
        virtual_machine: { id: 'vm_t8yomYsG4bccKw5D', name: 'web-01' },
        network: { id: 'netw_zDW7KYAeqqfRfVag', name: 'Public' },
        speed_profile: { id: `nsp_${state.profile}`, name: state.profile, permalink: state.profile },
      },
    });
  });
  const taskCalls = () => rec.calls.filter((c) => new URL(c.url).pathname.endsWith('/tasks/task')).length;
  return { ...rec, state, taskCalls, patches: () => rec.calls.filter((c) => c.method === 'PATCH').length };
}

describe.each(DATABASE_KINDS)('the server follows each change to its end, on %s', (kind: DatabaseKind) => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c().catch(() => {});
  }, 60_000);

  async function server(env: Record<string, string> = {}, opts: { upstream?: boolean } = {}) {
    const k = katapult();
    const c = testClock();
    const { app, store } = await auditedServer(kind, {
      env: { KATAPULT_API_TOKEN: 'follow-test-token', TRUSTED_USER_HEADER: 'X-Forwarded-Email', ...env },
      now: c.now,
      build: { ...(opts.upstream === false ? {} : { upstream: k.upstream }), follower: 'manual' },
    });
    cleanup.push(() => app.close());
    const change = (user = 'alice@staff.example', permalink = '10gbps') =>
      app.inject({ method: 'PATCH', url: CHANGE_URL, payload: body(permalink), headers: { ...PANEL, 'x-forwarded-email': user } });
    const record = async () => (await store.list({}, { limit: 10 })).entries[0]!;
    /** Moves the clock and runs one follower round. */
    const after = async (ms: number) => {
      c.tick(ms);
      await app.panelFollower.tick();
    };
    return { app, k, store, clock: c, change, record, after };
  }

  it('records completed within two follow intervals of the task’s end, with no browser, and frees the interface', async () => {
    const { k, change, record, after } = await server();
    expect((await change()).statusCode).toBe(200);
    // Before the first look is due, nothing is asked.
    await after(500);
    expect(k.taskCalls()).toBe(0);
    await after(500);
    expect(k.taskCalls()).toBe(1);
    expect(await record()).toMatchObject({ outcome: 'running', task_progress: 40, blocking: true });
    expect((await change('bob@staff.example', '1gbps')).statusCode).toBe(409);
    k.state.status = 'completed';
    k.state.progress = 100;
    await after(1000);
    expect(await record()).toMatchObject({ outcome: 'completed', blocking: false, ended_at: '2026-12-07T09:00:02.000Z' });
    expect((await change('bob@staff.example', '1gbps')).statusCode).toBe(200);
  });

  it('records a task’s progress by one rule whether the follower read it or a browser’s read was relayed', async () => {
    const { app, k, clock, change, record, after } = await server();
    const taskId = (await change()).json<{ task: { id: string } }>().task.id;
    expect(await record()).toMatchObject({ outcome: 'running', task_progress: null });
    k.state.progress = 40.6;
    await after(1000);
    expect(await record()).toMatchObject({ task_progress: 41 });
    // Once the follower's lease has run out a browser's read is forwarded, and its answer recorded.
    clock.tick(LEASE_MS + 1);
    k.state.progress = 140;
    expect((await app.inject({ url: `/api/tasks/task?task%5Bid%5D=${taskId}` })).json()).toMatchObject({ task: { progress: 140 } });
    expect(await record()).toMatchObject({ task_progress: 100 });
    (k.state as { progress: unknown }).progress = 'half';
    await app.inject({ url: `/api/tasks/task?task%5Bid%5D=${taskId}` });
    expect(await record()).toMatchObject({ task_progress: null });
    k.state.progress = -3;
    await after(1000);
    expect(await record()).toMatchObject({ task_progress: 0 });
  });

  it('records failed when the task fails', async () => {
    const { k, change, record, after } = await server();
    await change();
    k.state.status = 'failed';
    await after(1000);
    expect(await record()).toMatchObject({ outcome: 'failed', blocking: false });
  });

  it('waits the time a 429 gives, and backs off after a 503; viewers get what the follower got', async () => {
    const { app, k, change, record, after } = await server();
    const taskId = (await change()).json<{ task: { id: string } }>().task.id;
    k.state.answer = () => Response.json({ error: { code: 'rate_limit_reached', description: '', detail: {} } }, { status: 429, headers: { 'retry-after': '7' } });
    await after(1000);
    expect(k.taskCalls()).toBe(1);
    const viewer = await app.inject({ url: `/api/tasks/task?task%5Bid%5D=${taskId}` });
    expect(viewer.statusCode).toBe(429);
    expect(viewer.headers['retry-after']).toBe('7');
    expect(viewer.json<{ error: { code: string } }>().error.code).toBe('rate_limit_reached');
    expect(k.taskCalls()).toBe(1);
    await after(6000);
    expect(k.taskCalls()).toBe(1);
    k.state.answer = () => Response.json({ error: { code: 'service_unavailable', description: '', detail: {} } }, { status: 503 });
    await after(1000);
    expect(k.taskCalls()).toBe(2);
    // The next look after a 503 is 2 s or more away, not the 1 s of a healthy task.
    await after(1000);
    expect(k.taskCalls()).toBe(2);
    await after(4000);
    expect(k.taskCalls()).toBe(3);
    k.state.answer = undefined;
    k.state.status = 'completed';
    await after(60_000);
    expect(await record()).toMatchObject({ outcome: 'completed' });
  });

  it('records a task that never ends as never seen to end after TASK_FOLLOW_MINUTES, and frees the interface', async () => {
    const { k, change, record, after } = await server({ TASK_FOLLOW_MINUTES: '60', CHANGE_LOCK_MINUTES: '120' });
    await change();
    for (let minute = 0; minute < 59; minute++) await after(MINUTE);
    expect(await record()).toMatchObject({ outcome: 'running', blocking: true });
    await after(MINUTE + 1000);
    expect(await record()).toMatchObject({ outcome: 'unknown', error_code: 'task_follow_timeout', blocking: false });
    const calls = k.taskCalls();
    await after(MINUTE);
    expect(k.taskCalls()).toBe(calls);
    expect((await change('bob@staff.example')).statusCode).toBe(200);
  });

  it('ends a change that never reached Katapult (connection refused) at once, and frees the interface', async () => {
    const port = await freePort();
    const { change, record } = await server({ KATAPULT_API_URL: `http://127.0.0.1:${port}/core/v1` }, { upstream: false });
    expect((await change()).statusCode).toBe(502);
    expect(await record()).toMatchObject({ outcome: 'rejected', error_code: 'upstream_unreachable', blocking: false });
    expect((await change('bob@staff.example')).statusCode).toBe(502);
  });

  it('ends a change refused because the queue was full at once, and frees the interface', async () => {
    const { app, k, change, record } = await server({ UPSTREAM_CONNECTIONS: '1', UPSTREAM_QUEUE_LIMIT: '0' });
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let started!: () => void;
    const holding = new Promise<void>((r) => (started = r));
    k.state.patch = async () => {
      started();
      await held;
      return Response.json({ task: { id: 'task_Held', status: 'pending' } });
    };
    // Bob's change holds the one connection; alice's finds the queue full.
    const bob = app.inject({ method: 'PATCH', url: CHANGE_URL, payload: { ...body(), virtual_machine_network_interface: { id: 'vmnet_Other' } }, headers: PANEL });
    await holding;
    const res = await change();
    expect(res.statusCode).toBe(503);
    const alice = (await app.inject({ url: `/api/panel/audit?interface=${NIC}` })).json<{ entries: AuditEntry[] }>().entries[0];
    expect(alice).toMatchObject({ outcome: 'rejected', error_code: 'upstream_busy', blocking: false });
    release();
    expect((await bob).statusCode).toBe(200);
    void record;
  });

  it('settles a change whose answer was lost by reading the interface', async () => {
    const { k, change, record, after } = await server();
    k.state.patch = () => {
      k.state.profile = '10gbps';
      throw new Error('connection dropped after the change was made');
    };
    expect((await change()).statusCode).toBe(502);
    expect(await record()).toMatchObject({ outcome: 'pending', blocking: true, task_id: null });
    await after(1000);
    expect(await record()).toMatchObject({ outcome: 'completed', blocking: false });
  });

  it('answers ten viewers of a running task from the follower: Katapult sees the follower’s requests only', async () => {
    const { app, k, change, after } = await server();
    const taskId = (await change()).json<{ task: { id: string } }>().task.id;
    for (let look = 0; look < 5; look++) {
      await after(1000);
      const answers = await Promise.all(Array.from({ length: 10 }, () => app.inject({ url: `/api/tasks/task?task%5Bid%5D=${taskId}` })));
      expect(answers.every((a) => a.statusCode === 200 && a.json<{ task: { status: string } }>().task.status === 'running')).toBe(true);
    }
    console.info(`[follower] ${kind}: 10 viewers × 5 polls, Katapult task requests ${k.taskCalls()} (follower looks: 5)`);
    expect(k.taskCalls()).toBe(5);
  });

  it('refuses "Change back" once a newer change of the interface exists', async () => {
    const { app, k, change, after, store } = await server();
    await change('alice@staff.example', '10gbps');
    k.state.status = 'completed';
    await after(1000);
    const [first] = (await store.list({}, { limit: 10 })).entries;
    expect(first).toMatchObject({ outcome: 'completed', can_change_back: true });
    const back = () =>
      app.inject({ method: 'PATCH', url: CHANGE_URL, payload: body('100mbps'), headers: { ...PANEL, 'x-panel-change-back': first!.id } });
    k.state.status = 'running';
    expect((await back()).statusCode).toBe(200);
    // A change back of the same row while the first change back runs, or after it: refused.
    const again = await back();
    expect(again.statusCode).toBe(409);
    expect(again.json<{ error: { code: string } }>().error.code).toBe('change_back_not_possible');
    expect(k.patches()).toBe(2);
  });
});

describe.each(DATABASE_KINDS)('one follower per change, on %s', (kind: DatabaseKind) => {
  it('lets one of two servers follow a change, and the other take it over once the holder’s lease ran out', async () => {
    const env = await freshDatabaseEnv(kind);
    const config = loadConfig({ KATAPULT_API_URL: 'https://api.example.test/core/v1', ...env }).audit;
    const c = testClock();
    const stores: AuditStore[] = [await openAuditStore(config, { now: c.now }), await openAuditStore(config, { now: c.now })];
    try {
      const id = await stores[0]!.recordChange({ user: 'alice', interfaceId: NIC, fromSource: 'panel', toProfile: { permalink: '10gbps' } });
      await stores[0]!.recordAnswer(id, { taskId: 'task_Shared', nextAt: c.now() });
      const looks: string[] = [];
      const status = { now: 'running' };
      const followers = stores.map((store, n) =>
        createFollower({
          store,
          owner: `server-${n}`,
          now: c.now,
          followMs: 60 * MINUTE,
          log: { debug: () => {}, info: () => {}, warn: () => {} } as never,
          read: async () => {
            looks.push(`server-${n}`);
            return { status: 200, json: { task: { id: 'task_Shared', status: status.now, progress: 10 } } };
          },
        }),
      );
      for (let i = 0; i < 5; i++) {
        await Promise.all(followers.map((f) => f.tick()));
        c.tick(1000);
      }
      // Both asked every second: exactly one looked each time.
      expect(looks).toHaveLength(5);
      expect(new Set(looks).size).toBe(1);
      const holder = looks[0]!;
      const other = followers[holder === 'server-0' ? 1 : 0]!;
      // The holder dies (its rounds stop, its lease is not given back): the other takes over within one lease.
      looks.length = 0;
      for (let waited = 0; waited <= LEASE_MS + 1000 && looks.length === 0; waited += 1000) {
        await other.tick();
        c.tick(1000);
      }
      expect(looks).toEqual([holder === 'server-0' ? 'server-1' : 'server-0']);
      status.now = 'completed';
      c.tick(1000);
      await other.tick();
      expect((await stores[1]!.get(id))?.outcome).toBe('completed');
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });
});

describe('per-user tokens (AUTH_MODE=per-user)', () => {
  it('follows with the token of the request that started the change, and after a restart with the next browser’s', async () => {
    const env = await freshDatabaseEnv('sqlite');
    const config = loadConfig({ KATAPULT_API_URL: 'https://api.example.test/core/v1', AUTH_MODE: 'per-user', ...env });
    const c = testClock();
    const k = katapult();
    const lines: string[] = [];
    const start = async () => {
      const store = await openAuditStore(config.audit, { now: c.now });
      return buildServer(config, {
        distDir: null,
        upstream: k.upstream,
        audit: store,
        follower: 'manual',
        logger: { level: 'trace', stream: { write: (l: string) => void lines.push(l) } },
      });
    };
    const taskAuth = () =>
      k.calls.filter((r) => new URL(r.url).pathname.endsWith('/tasks/task')).map((r) => r.headers.get('authorization'));
    const first = await start();
    const res = await first.inject({
      method: 'PATCH',
      url: CHANGE_URL,
      payload: body(),
      headers: { ...PANEL, authorization: 'Bearer alice-own-token-123' },
    });
    expect(res.statusCode).toBe(200);
    c.tick(1000);
    await first.panelFollower.tick();
    expect(taskAuth()).toEqual(['Bearer alice-own-token-123']);
    // A restart: the token was in memory only. Its lease is given back on close.
    await first.close();
    const second = await start();
    try {
      c.tick(1000);
      await second.panelFollower.tick();
      expect(taskAuth()).toHaveLength(1);
      // A browser polls the task with its own token: forwarded (no view to answer from), and the follower resumes with it.
      const taskId = res.json<{ task: { id: string } }>().task.id;
      const polled = await second.inject({ url: `/api/tasks/task?task%5Bid%5D=${taskId}`, headers: { authorization: 'Bearer bob-own-token-456' } });
      expect(polled.statusCode).toBe(200);
      expect(taskAuth()).toEqual(['Bearer alice-own-token-123', 'Bearer bob-own-token-456']);
      k.state.status = 'completed';
      c.tick(30_000);
      await second.panelFollower.tick();
      expect(taskAuth().at(-1)).toBe('Bearer bob-own-token-456');
      expect((await (await second.inject({ url: '/api/panel/audit' })).json<{ entries: AuditEntry[] }>()).entries[0]).toMatchObject({ outcome: 'completed' });
      expect(lines.join('\n')).not.toMatch(/alice-own-token|bob-own-token/);
    } finally {
      await second.close();
    }
  });
});
