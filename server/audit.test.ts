/**
 * The audit log through the server: who and what is recorded, that the record exists before the
 * PATCH leaves, that nothing is forwarded without one, durability across SIGKILL, several servers on
 * one PostgreSQL, concurrency, and the read API. Each runs on SQLite and on a real PostgreSQL.
 */
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { buildServer, type BuildOptions } from './app.ts';
import { CHANGE_CONTEXT_HEADER } from './audit/context.ts';
import { openAuditStore, type AuditEntry, type AuditStore } from './audit/store.ts';
import { loadConfig } from './config.ts';
import { DATABASE_KINDS, freshDatabaseEnv, takeDown, type DatabaseKind } from './testing/databases.ts';
import { spawnServer, type ChildServer } from './testing/spawn-server.ts';
import { auditedServer, recordingUpstream } from './test-support.ts';

/** A demo server lists the records of the asking browser's session: these are the session of a request with no cookie. */
const NO_COOKIE = { lockScope: 'demo:default' };
const PANEL = { 'x-katapult-panel': '1' };
const TOKEN = 'audit-test-token-0123456789';
const CHANGE_URL = '/api/virtual_machine_network_interfaces/virtual_machine_network_interface/update_speed_profile';
const NIC = 'vmnet_olNAz8ThH0emHvdr';
const changeBody = (nic = NIC, permalink = '10gbps') => ({
  virtual_machine_network_interface: { id: nic },
  speed_profile: { permalink },
});
const panelContext = (o: Record<string, string>) => encodeURIComponent(JSON.stringify(o));

/**
 * Katapult as the proxy sees it: the interface by id, its VM (for the organization), the
 * organization's profiles (two pages), the change (a task), the task.
 */
function katapult(
  opts: { interfaceStatus?: number; profilesStatus?: number; taskStatus?: string; onPatch?: () => Promise<void> | void } = {},
) {
  return recordingUpstream(async (req) => {
    const url = new URL(req.url);
    const path = url.pathname;
    if (path.endsWith('/virtual_machines/virtual_machine')) {
      return Response.json({ virtual_machine: { id: 'vm_t8yomYsG4bccKw5D', organization: { id: 'org_Examp1e0rg00001' } } });
    }
    if (path.endsWith('/network_speed_profiles')) {
      if (opts.profilesStatus && opts.profilesStatus !== 200) {
        return Response.json({ error: { code: 'oops', description: '', detail: {} } }, { status: opts.profilesStatus });
      }
      const page = url.searchParams.get('page') === '2' ? 2 : 1;
      const profiles =
        page === 1
          ? [{ id: 'nsp_100MbpsProfil001', name: '100 Mbps', permalink: '100mbps' }]
          : [{ id: 'nsp_10GbpsProfile01', name: '10 Gbps', permalink: '10gbps' }];
      return Response.json({ pagination: { current_page: page, total_pages: 2 }, network_speed_profiles: profiles });
    }
    if (req.method === 'PATCH') {
      await opts.onPatch?.();
      return Response.json({ task: { id: 'task_EvA0bkUBGZh6ATca', status: 'pending' } });
    }
    if (path.endsWith('/tasks/task')) return Response.json({ task: { id: 'task_EvA0bkUBGZh6ATca', status: opts.taskStatus ?? 'running' } });
    if (path.endsWith('/virtual_machine_network_interface')) {
      if (opts.interfaceStatus && opts.interfaceStatus !== 200) {
        return Response.json({ error: { code: 'oops', description: '', detail: {} } }, { status: opts.interfaceStatus });
      }
      return Response.json({
        virtual_machine_network_interface: {
          id: NIC,
          virtual_machine: { id: 'vm_t8yomYsG4bccKw5D', name: 'bitter-beautiful-mango' },
          network: { id: 'netw_zDW7KYAeqqfRfVag', name: 'Public Network (London)' },
          speed_profile: { id: 'nsp_100MbpsProfil001', name: '100 Mbps', permalink: '100mbps' },
        },
      });
    }
    return Response.json({ error: { code: 'route_not_found', description: '', detail: {} } }, { status: 404 });
  });
}

const entriesOf = async (store: AuditStore) => (await store.list({}, { limit: 100 })).entries;

describe.each(DATABASE_KINDS)('the audit log through the proxy, on %s', (kind: DatabaseKind) => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c().catch(() => {});
  }, 60_000);

  /** A live-mode server with its audit store, on a fresh database of this kind. */
  async function server(env: Record<string, string> = {}, opts: BuildOptions = {}) {
    const s = await auditedServer(kind, { env: { KATAPULT_API_TOKEN: TOKEN, ...env }, build: opts });
    cleanup.push(() => s.app.close());
    return s;
  }

  it('records who as "unknown" and ignores a user header the server is not configured to trust', async () => {
    const { upstream } = katapult();
    const { app, store } = await server({}, { upstream });
    const res = await app.inject({
      method: 'PATCH',
      url: CHANGE_URL,
      payload: changeBody(),
      headers: { ...PANEL, 'x-forwarded-email': 'mallory@evil.example', 'x-forwarded-user': 'mallory' },
    });
    expect(res.statusCode).toBe(200);
    expect((await entriesOf(store)).map((e) => e.user)).toEqual(['unknown']);
  });

  it('ignores a forged user header in per-user mode too', async () => {
    const { upstream } = katapult();
    const { app, store } = await server({ AUTH_MODE: 'per-user' }, { upstream });
    const res = await app.inject({
      method: 'PATCH',
      url: CHANGE_URL,
      payload: changeBody(),
      headers: { ...PANEL, authorization: 'Bearer users-own-token', 'x-forwarded-email': 'mallory@evil.example' },
    });
    expect(res.statusCode).toBe(200);
    expect((await entriesOf(store)).map((e) => e.user)).toEqual(['unknown']);
  });

  it('records the member of staff from TRUSTED_USER_HEADER when it is configured, and no other header', async () => {
    const { upstream } = katapult();
    const { app, store } = await server({ TRUSTED_USER_HEADER: 'X-Forwarded-Email' }, { upstream });
    await app.inject({
      method: 'PATCH',
      url: CHANGE_URL,
      payload: changeBody(),
      headers: { ...PANEL, 'x-forwarded-email': 'ann@staff.example', 'x-forwarded-user': 'mallory' },
    });
    // Another interface: the first change still holds its own.
    await app.inject({ method: 'PATCH', url: CHANGE_URL, payload: changeBody('vmnet_W3b01Priv4teLan1'), headers: { ...PANEL, 'x-forwarded-user': 'mallory' } });
    expect((await entriesOf(store)).map((e) => e.user).sort()).toEqual(['ann@staff.example', 'unknown']);
  });

  it('writes the record before the PATCH leaves, with what Katapult said the interface was', async () => {
    let seenByUpstream: AuditEntry[] | undefined;
    const holder: { store?: AuditStore } = {};
    const { upstream, calls } = katapult({ onPatch: async () => void (seenByUpstream = await entriesOf(holder.store!)) });
    const { app, store } = await server({}, { upstream });
    holder.store = store;
    const res = await app.inject({
      method: 'PATCH',
      url: CHANGE_URL,
      payload: changeBody(),
      headers: { ...PANEL, [CHANGE_CONTEXT_HEADER]: panelContext({ vm_name: 'what the panel saw', to_profile_name: '1 Gbps' }) },
    });
    expect(res.statusCode).toBe(200);
    expect(seenByUpstream).toHaveLength(1);
    expect(seenByUpstream![0]).toMatchObject({ outcome: 'pending', interface_id: NIC, task_id: null });
    // The interface was read with the server's token just before the change.
    const read = calls.find((c) => c.method === 'GET')!;
    expect(read.url).toBe(
      `https://api.example.test/core/v1/virtual_machine_network_interfaces/virtual_machine_network_interface?virtual_machine_network_interface%5Bid%5D=${NIC}`,
    );
    expect(read.headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
    const [e] = await entriesOf(store);
    // Every name is Katapult's: the target's from the organization's profiles, not the panel's "1 Gbps".
    expect(e).toMatchObject({
      vm: { id: 'vm_t8yomYsG4bccKw5D', name: 'bitter-beautiful-mango' },
      network: { id: 'netw_zDW7KYAeqqfRfVag', name: 'Public Network (London)' },
      from_profile: { id: 'nsp_100MbpsProfil001', name: '100 Mbps' },
      from_source: 'katapult',
      to_profile: { id: null, permalink: '10gbps', name: '10 Gbps' },
      outcome: 'running',
      task_id: 'task_EvA0bkUBGZh6ATca',
    });
  });

  it('never records a name only the browser gave as Katapult’s: without the organization’s profiles the target has no name', async () => {
    const { upstream } = katapult({ profilesStatus: 503 });
    const { app, store } = await server({}, { upstream });
    const res = await app.inject({
      method: 'PATCH',
      url: CHANGE_URL,
      payload: changeBody(),
      headers: { ...PANEL, [CHANGE_CONTEXT_HEADER]: panelContext({ vm_name: 'not this', to_profile_name: 'Unlimited' }) },
    });
    expect(res.statusCode).toBe(200);
    const [e] = await entriesOf(store);
    expect(e).toMatchObject({
      vm: { id: 'vm_t8yomYsG4bccKw5D', name: 'bitter-beautiful-mango' },
      from_source: 'katapult',
      to_profile: { id: null, permalink: '10gbps', name: null },
    });
  });

  it('keeps control characters out of every recorded text: user and names', async () => {
    const { upstream } = katapult({ interfaceStatus: 500 });
    const { app, store } = await server({ TRUSTED_USER_HEADER: 'X-Forwarded-Email' }, { upstream });
    const res = await app.inject({
      method: 'PATCH',
      url: CHANGE_URL,
      payload: changeBody(),
      headers: {
        ...PANEL,
        'x-forwarded-email': 'ann@staff.example\tadmin',
        [CHANGE_CONTEXT_HEADER]: panelContext({ vm_name: 'web\u0000-01\r\n=1', network_name: '\u202eevil', to_profile_name: '1\u0007Gbps' }),
      },
    });
    expect(res.statusCode).toBe(200);
    const [e] = await entriesOf(store);
    expect(e).toMatchObject({
      user: 'ann@staff.example admin',
      vm: { name: 'web -01 =1' },
      network: { name: 'evil' },
      to_profile: { name: '1 Gbps' },
      from_source: 'panel',
    });
    // JSON writes a control character as an escape (\t, \u0000), and a bidi override as itself.
    expect(JSON.stringify(e)).not.toMatch(/\\[tnrbf]|\\u00[01][0-9a-f]|[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/i);
  });

  it('uses what the panel reported when Katapult cannot say, and marks it so', async () => {
    const { upstream } = katapult({ interfaceStatus: 500 });
    const { app, store } = await server({}, { upstream });
    await app.inject({
      method: 'PATCH',
      url: CHANGE_URL,
      payload: changeBody(),
      headers: {
        ...PANEL,
        [CHANGE_CONTEXT_HEADER]: panelContext({
          vm_id: 'vm_t8yomYsG4bccKw5D',
          vm_name: 'mango',
          network_id: 'netw_zDW7KYAeqqfRfVag',
          network_name: 'Public',
          from_profile_id: 'nsp_100MbpsProfil001',
          from_profile_name: '100 Mbps',
          to_profile_name: '1 Gbps',
        }),
      },
    });
    const [e] = await entriesOf(store);
    // `panel`: every name in the record is the browser's, the target's included.
    expect(e).toMatchObject({
      vm: { id: 'vm_t8yomYsG4bccKw5D', name: 'mango' },
      network: { id: 'netw_zDW7KYAeqqfRfVag', name: 'Public' },
      from_profile: { id: 'nsp_100MbpsProfil001', name: '100 Mbps' },
      to_profile: { permalink: '10gbps', name: '1 Gbps' },
      from_source: 'panel',
    });
  });

  it('ignores a malformed change context header instead of failing the change', async () => {
    const { upstream } = katapult({ interfaceStatus: 404 });
    const { app, store } = await server({}, { upstream });
    const res = await app.inject({
      method: 'PATCH',
      url: CHANGE_URL,
      payload: changeBody(),
      headers: { ...PANEL, [CHANGE_CONTEXT_HEADER]: '%7B%22vm_name%22%3A' },
    });
    expect(res.statusCode).toBe(200);
    expect((await entriesOf(store))[0]).toMatchObject({ vm: { id: null, name: null }, from_source: 'panel', from_profile: null });
  });

  it('records an error code or task id from Katapult only when it has no control character', async () => {
    const { upstream } = recordingUpstream((req) =>
      req.method === 'PATCH'
        ? Response.json({ error: { code: 'no\u0000such_profile', description: '', detail: {} } }, { status: 422 })
        : Response.json({}, { status: 404 }),
    );
    const { app, store } = await server({}, { upstream });
    expect((await app.inject({ method: 'PATCH', url: CHANGE_URL, payload: changeBody(), headers: PANEL })).statusCode).toBe(422);
    expect((await entriesOf(store))[0]).toMatchObject({ outcome: 'rejected', error_code: 'http_422' });
  });

  it('records an error answer as rejected with its code, which frees the interface', async () => {
    const { upstream, calls } = recordingUpstream((req) =>
      req.method === 'PATCH'
        ? Response.json({ error: { code: 'network_speed_profile_not_found', description: '', detail: {} } }, { status: 404 })
        : Response.json({}, { status: 404 }),
    );
    const { app, store } = await server({}, { upstream });
    const res = await app.inject({ method: 'PATCH', url: CHANGE_URL, payload: changeBody(), headers: PANEL });
    expect(res.statusCode).toBe(404);
    expect((await entriesOf(store))[0]).toMatchObject({ outcome: 'rejected', error_code: 'network_speed_profile_not_found', blocking: false });
    expect((await app.inject({ method: 'PATCH', url: CHANGE_URL, payload: changeBody(), headers: PANEL })).statusCode).toBe(404);
    expect(calls.filter((c) => c.method === 'PATCH')).toHaveLength(2);
  });

  it('relays 422 speed_profile_already_assigned as is, recorded as already_assigned, not holding the interface', async () => {
    const refusal = { error: { code: 'speed_profile_already_assigned', description: 'Already assigned.', detail: {} } };
    const { upstream, calls } = recordingUpstream((req) =>
      req.method === 'PATCH' ? Response.json(refusal, { status: 422 }) : Response.json({}, { status: 404 }),
    );
    const { app, store } = await server({}, { upstream });
    const res = await app.inject({ method: 'PATCH', url: CHANGE_URL, payload: changeBody(), headers: PANEL });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toEqual(refusal);
    const [e] = await entriesOf(store);
    expect(e).toMatchObject({ outcome: 'already_assigned', error_code: 'speed_profile_already_assigned', blocking: false, expired: false });
    expect(e!.ended_at).not.toBeNull();
    const list = (await app.inject({ url: `/api/panel/audit?interface=${NIC}` })).json<{ entries: AuditEntry[] }>();
    expect(list.entries.map((x) => x.blocking)).toEqual([false]);
    // The next change of the interface goes through to Katapult.
    expect((await app.inject({ method: 'PATCH', url: CHANGE_URL, payload: changeBody(), headers: PANEL })).statusCode).toBe(422);
    expect(calls.filter((c) => c.method === 'PATCH')).toHaveLength(2);
  });

  it('records the task answers it relays for a task no server is following', async () => {
    const k = { status: 'running' };
    const { upstream } = recordingUpstream(async (req) => {
      if (req.method === 'PATCH') return Response.json({ task: { id: 'task_T', status: 'pending' } });
      if (req.url.includes('/tasks/task')) return Response.json({ task: { id: 'task_T', status: k.status } });
      return Response.json({}, { status: 404 });
    });
    // The follower never runs here, and the clock is past the PATCH's lease: the task is nobody's to answer.
    let t = Date.parse('2026-12-07T09:00:00.000Z');
    const dbEnv = await freshDatabaseEnv(kind);
    const config = loadConfig({ KATAPULT_API_URL: 'https://api.example.test/core/v1', KATAPULT_API_TOKEN: TOKEN, ...dbEnv });
    const store = await openAuditStore(config.audit, { now: () => new Date(t) });
    const app = await buildServer(config, { logger: false, upstream, audit: store, follower: 'manual' });
    cleanup.push(() => app.close());
    await app.inject({ method: 'PATCH', url: CHANGE_URL, payload: changeBody(), headers: PANEL });
    t += 60_000;
    await app.inject({ url: '/api/tasks/task?task%5Bid%5D=task_T' });
    let [e] = await entriesOf(store);
    expect(e).toMatchObject({ outcome: 'running', ended_at: null });
    expect(e!.last_seen_at).not.toBeNull();
    k.status = 'failed';
    await app.inject({ url: '/api/tasks/task?task%5Bid%5D=task_T' });
    [e] = await entriesOf(store);
    expect(e).toMatchObject({ outcome: 'failed' });
    expect(e!.ended_at).not.toBeNull();
  });

  it('puts the audit id on the request’s log line and never the token', async () => {
    const lines: string[] = [];
    const { upstream } = katapult();
    const { app, store } = await server(
      {},
      { upstream, logger: { level: 'trace', stream: { write: (l: string) => void lines.push(l) } } },
    );
    await app.inject({ method: 'PATCH', url: CHANGE_URL, payload: changeBody(), headers: PANEL });
    const [e] = await entriesOf(store);
    const request = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((r) => r.msg === 'request' && r.method === 'PATCH');
    expect(request?.auditId).toBe(e!.id);
    expect(lines.join('\n')).not.toContain(TOKEN);
  });

  it('answers 503 audit_unavailable and does not forward the PATCH when the record cannot be written', async () => {
    const { upstream, calls } = katapult();
    const { app, dbEnv } = await server({}, { upstream });
    let release = () => {};
    if (kind === 'postgres') {
      await takeDown(dbEnv.DATABASE_URL!);
    } else {
      // Another writer holds SQLite's write lock for longer than the server waits for it.
      const other = new Database(dbEnv.AUDIT_DB!);
      other.exec('begin immediate');
      release = () => {
        other.exec('rollback');
        other.close();
      };
    }
    try {
      const res = await app.inject({ method: 'PATCH', url: CHANGE_URL, payload: changeBody(), headers: PANEL });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ error: { code: 'audit_unavailable' } });
      expect(res.headers['cache-control']).toBe('no-store');
      expect(calls.filter((c) => c.method === 'PATCH')).toHaveLength(0);
    } finally {
      release();
    }
    if (kind === 'sqlite') {
      // The lock released, changes go through (and are recorded) again.
      const res = await app.inject({ method: 'PATCH', url: CHANGE_URL, payload: changeBody(), headers: PANEL });
      expect(res.statusCode).toBe(200);
      expect(calls.filter((c) => c.method === 'PATCH')).toHaveLength(1);
    } else {
      const list = await app.inject({ url: '/api/panel/audit' });
      expect(list.statusCode).toBe(503);
      expect(list.json()).toMatchObject({ error: { code: 'audit_unavailable' } });
    }
  });

  it('prunes records past AUDIT_RETENTION_DAYS when the server starts', async () => {
    const dbEnv = await freshDatabaseEnv(kind);
    const config = loadConfig({ KATAPULT_API_URL: 'https://api.example.test/core/v1', ...dbEnv, AUDIT_RETENTION_DAYS: '30' });
    const past = await openAuditStore(config.audit, { now: () => new Date(Date.now() - 31 * 86_400_000) });
    await past.recordChange({ user: 'old', interfaceId: NIC, fromSource: 'panel', toProfile: { permalink: '1gbps' }, ...NO_COOKIE });
    await past.close();
    const store = await openAuditStore(config.audit);
    await store.recordChange({ user: 'new', interfaceId: NIC, fromSource: 'panel', toProfile: { permalink: '1gbps' }, ...NO_COOKIE });
    const app = await buildServer(config, { logger: false, audit: store });
    cleanup.push(() => app.close());
    await app.ready();
    expect((await app.inject({ url: '/api/panel/audit' })).json<{ entries: AuditEntry[] }>().entries.map((e) => e.user)).toEqual(['new']);
  });

  it('records 200 concurrent changes through the proxy over HTTP: 200 records, none lost or doubled', async () => {
    // Demo mode: the embedded mock, one mock session per change so each is accepted with its own task.
    const dbEnv = await freshDatabaseEnv(kind);
    const config = loadConfig({ ...dbEnv });
    const store = await openAuditStore(config.audit);
    const app = await buildServer(config, { logger: false, audit: store, distDir: null });
    cleanup.push(() => app.close());
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const run = `${kind}-${process.pid}-${Date.now()}`;
    // Each demo session starts with a history dated before now: the changes made here are those from now on.
    const started = new Date().toISOString();
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        fetch(base + CHANGE_URL, {
          method: 'PATCH',
          headers: { ...PANEL, 'content-type': 'application/json', cookie: `katapult-mock-session=load-${run}-${i}` },
          body: JSON.stringify(changeBody()),
        }).then(async (r) => ({ status: r.status, body: (await r.json()) as { task?: { id: string } } })),
      ),
    );
    expect(answers.filter((a) => a.status !== 200)).toEqual([]);
    const all: AuditEntry[] = [];
    for await (const e of store.all({ from: started })) all.push(e);
    expect(all).toHaveLength(200);
    expect(new Set(all.map((e) => e.id)).size).toBe(200);
    expect(new Set(all.map((e) => e.task_id)).size).toBe(200);
    expect(all.map((e) => e.task_id).sort()).toEqual(answers.map((a) => a.body.task!.id).sort());
    // The server follows each task itself: by now some of the mock's tasks may have ended.
    expect(all.every((e) => e.from_source === 'katapult' && ['running', 'completed'].includes(e.outcome))).toBe(true);
    // 200 changes at once on a shared 2-core machine: a timeout here would be noise, not a verdict.
  }, 120_000);

  it('keeps the record with its task id when the server is killed with SIGKILL right after the change', async () => {
    const dbEnv = await freshDatabaseEnv(kind);
    let first: ChildServer | undefined = await spawnServer(dbEnv);
    let second: ChildServer | undefined;
    // The demo session's history is dated before the test: what the test made is what is dated after.
    const started = Date.now();
    try {
      const res = await fetch(first.url + CHANGE_URL, {
        method: 'PATCH',
        headers: { ...PANEL, 'content-type': 'application/json' },
        body: JSON.stringify(changeBody(NIC, '10gbps')),
      });
      expect(res.status).toBe(200);
      const { task } = (await res.json()) as { task: { id: string } };
      await first.kill('SIGKILL');
      expect(first.child.signalCode).toBe('SIGKILL');
      first = undefined;
      second = await spawnServer(dbEnv);
      const list = await fetch(`${second.url}/api/panel/audit?interface=${NIC}`);
      const entries = ((await list.json()) as { entries: AuditEntry[] }).entries.filter((e) => Date.parse(e.at) >= started);
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ task_id: task.id, outcome: 'running', to_profile: { permalink: '10gbps' } });
    } finally {
      await first?.kill('SIGKILL');
      await second?.kill();
    }
    // Two real server processes start here (tsx compiles the server in each): slow on a busy machine.
  }, 180_000);
});

describe('several servers on one PostgreSQL', () => {
  it('lists a change made through one server process in another', async () => {
    const dbEnv = await freshDatabaseEnv('postgres');
    // Started together: both run the migrations against the same empty database.
    const [a, b] = await Promise.all([spawnServer(dbEnv), spawnServer(dbEnv)]);
    // The demo session's history is dated before the test: what the test made is what is dated after.
    const started = Date.now();
    try {
      const res = await fetch(a.url + CHANGE_URL, {
        method: 'PATCH',
        headers: { ...PANEL, 'content-type': 'application/json' },
        body: JSON.stringify(changeBody(NIC, '250mbps')),
      });
      expect(res.status).toBe(200);
      const entries = ((await (await fetch(`${b.url}/api/panel/audit`)).json()) as { entries: AuditEntry[] }).entries.filter((e) => Date.parse(e.at) >= started);
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ interface_id: NIC, to_profile: { permalink: '250mbps' }, outcome: 'running' });
    } finally {
      await Promise.all([a.kill(), b.kill()]);
    }
  }, 180_000);
});

describe.each(DATABASE_KINDS)('GET /api/panel/audit and the CSV export, on %s', (kind: DatabaseKind) => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c().catch(() => {});
  });

  /** A server whose log holds three changes (the clock moves a minute at each write), the last with a formula-looking name. */
  async function seeded() {
    const config = loadConfig({ KATAPULT_API_URL: 'https://api.example.test/core/v1', ...(await freshDatabaseEnv(kind)) });
    let t = Date.parse('2026-12-01T09:00:00.000Z');
    const writer = await openAuditStore(config.audit, { now: () => new Date((t += 60_000)) });
    const base = { interfaceId: NIC, fromSource: 'katapult' as const, toProfile: { permalink: '1gbps', name: '1 Gbps' }, ...NO_COOKIE };
    const a = await writer.recordChange({ ...base, user: 'ann', vm: { id: 'vm_A', name: 'web-1' } });
    await writer.recordAnswer(a, { taskId: 'task_A' });
    await writer.recordTaskState('task_A', 'completed');
    const b = await writer.recordChange({ ...base, user: 'bob', vm: { id: 'vm_B', name: 'db-1' }, interfaceId: 'vmnet_B' });
    await writer.recordAnswer(b, { errorCode: 'speed_profile_already_assigned' });
    const c = await writer.recordChange({ ...base, user: 'ann', vm: { id: 'vm_C', name: '=cmd|calc' } });
    await writer.close();
    const app = await buildServer(config, { logger: false, distDir: null, audit: await openAuditStore(config.audit) });
    cleanup.push(() => app.close());
    return { app, ids: { a, b, c } };
  }

  it('lists newest first as JSON, never cached, in cursor pages', async () => {
    const { app, ids } = await seeded();
    const first = await app.inject({ url: '/api/panel/audit?limit=2' });
    expect(first.statusCode).toBe(200);
    expect(first.headers['cache-control']).toBe('no-store');
    const page1 = first.json<{ entries: AuditEntry[]; next_cursor: string | null }>();
    expect(page1.entries.map((e) => e.id)).toEqual([ids.c, ids.b]);
    expect(page1.entries[1]).toEqual({
      id: ids.b,
      at: '2026-12-01T09:04:00.000Z',
      user: 'bob',
      vm: { id: 'vm_B', name: 'db-1' },
      interface_id: 'vmnet_B',
      network: { id: null, name: null },
      from_profile: null,
      from_source: 'katapult',
      to_profile: { id: null, permalink: '1gbps', name: '1 Gbps' },
      outcome: 'already_assigned',
      task_id: null,
      error_code: 'speed_profile_already_assigned',
      last_seen_at: null,
      ended_at: '2026-12-01T09:05:00.000Z',
      blocking: false,
      blocking_until: null,
      expired: false,
      expired_at: null,
      updated_at: '2026-12-01T09:05:00.000Z',
      task_progress: null,
      can_change_back: false,
    });
    const page2 = (await app.inject({ url: `/api/panel/audit?limit=2&cursor=${page1.next_cursor}` })).json<{
      entries: AuditEntry[];
      next_cursor: string | null;
    }>();
    expect(page2.entries.map((e) => e.id)).toEqual([ids.a]);
    expect(page2.next_cursor).toBeNull();
  });

  it('filters through the query string', async () => {
    const { app, ids } = await seeded();
    const ids_ = async (q: string) =>
      (await app.inject({ url: `/api/panel/audit?${q}` })).json<{ entries: AuditEntry[] }>().entries.map((e) => e.id);
    expect(await ids_('user=ann')).toEqual([ids.c, ids.a]);
    expect(await ids_('vm=WEB')).toEqual([ids.a]);
    expect(await ids_('outcome=completed')).toEqual([ids.a]);
    expect(await ids_('outcome=not_seen')).toEqual([ids.c]);
    expect(await ids_(`interface=vmnet_B`)).toEqual([ids.b]);
    expect(await ids_('from=2026-12-01T09:04:00Z&to=2026-12-01T09:04:59Z')).toEqual([ids.b]);
  });

  it('answers 400 invalid_audit_filter naming the parameter for a bad filter', async () => {
    const { app } = await seeded();
    for (const [q, parameter] of [
      ['from=last%20week', 'from'],
      ['to=2026-13-01', 'to'],
      ['outcome=done', 'outcome'],
      ['limit=500', 'limit'],
      ['cursor=not-a-cursor', 'cursor'],
      ['sort=asc', 'sort'],
      // A control character is a mistake, not a search: never the database's error (PostgreSQL refuses a NUL).
      ['vm=web%0001', 'vm'],
      ['user=ann%00', 'user'],
      ['interface=vmnet%01x', 'interface'],
    ] as const) {
      const res = await app.inject({ url: `/api/panel/audit?${q}` });
      expect(res.statusCode, q).toBe(400);
      expect(res.headers['cache-control']).toBe('no-store');
      const { error } = res.json<{ error: { code: string; description: string; detail: { parameter: string } } }>();
      expect(error.code).toBe('invalid_audit_filter');
      expect(error.detail.parameter).toBe(parameter);
      expect(error.description).toContain(`“${parameter}”`);
    }
    expect((await app.inject({ url: '/api/panel/audit.csv?limit=5' })).statusCode).toBe(400);
    expect((await app.inject({ url: '/api/panel/audit.csv?vm=%00' })).json()).toMatchObject({
      error: { code: 'invalid_audit_filter', detail: { parameter: 'vm' } },
    });
  });

  it('exports the filtered rows as CSV, newest first, formulas neutralised', async () => {
    const { app, ids } = await seeded();
    const res = await app.inject({ url: '/api/panel/audit.csv?user=ann' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="audit-log.csv"');
    expect(res.headers['cache-control']).toBe('no-store');
    const lines = res.body.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      '"id","at","user","vm_id","vm_name","interface_id","network_id","network_name","from_profile_id","from_profile_name","from_source","to_profile_id","to_profile_permalink","to_profile_name","outcome","task_id","error_code","last_seen_at","ended_at"',
    );
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(new RegExp(`^"${ids.c}","2026-12-01T09:06:00.000Z","ann","vm_C","'=cmd\\|calc",`));
    expect(lines[2]).toContain(`"${ids.a}",`);
    expect(lines[2]).toContain(',"completed","task_A",');
  });

  it('is behind the same Host guard as the rest of /api', async () => {
    const { app } = await seeded();
    const res = await app.inject({ url: '/api/panel/audit', headers: { host: 'attacker.example:3000' } });
    expect(res.statusCode).toBe(421);
  });
});
