/**
 * GET /api/panel/events through a real listening server, read with fetch: each write to the audit
 * log goes out as an event to the streams that want it, a reconnect's Last-Event-ID replays what was
 * missed, demo sessions see only their own changes, the server's close ends every stream, and with
 * PostgreSQL a change made through one server shows on a stream of another.
 */
import Fastify from 'fastify';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../mock/db.ts';
import type { ChangeEvent } from '../protocol/events.ts';
import { buildServer, type BuildOptions } from './app.ts';
import { openAuditStore, type ChangeRecord } from './audit/store.ts';
import { createChangeFeed, createLocalFeed } from './changes/feed.ts';
import { loadConfig } from './config.ts';
import { events } from './plugins/events.ts';
import { DATABASE_KINDS, freshDatabaseEnv, type DatabaseKind } from './testing/databases.ts';
import { openSse, type SseEvent, type SseStream } from './testing/sse.ts';
import { FAKE_METRICS_TOKEN, recordingUpstream } from './test-support.ts';

const NIC = 'vmnet_olNAz8ThH0emHvdr';
const OTHER_NIC = 'vmnet_AnotherOne000001';
const TASK = 'task_EvA0bkUBGZh6ATca';
const change = (over: Partial<ChangeRecord> = {}): ChangeRecord => ({
  user: 'alice@example.com',
  interfaceId: NIC,
  fromSource: 'panel',
  fromProfile: { id: 'nsp_100', name: '100 Mbps' },
  toProfile: { permalink: '10gbps', name: '10 Gbps' },
  ...over,
});
const data = (e: SseEvent) => JSON.parse(e.data) as ChangeEvent;

const cleanup: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await Promise.resolve(c()).catch(() => {});
}, 60_000);

/** A listening server with its audit store and change feed, on `dbEnv` (a fresh database of `kind` unless given). */
async function server(kind: DatabaseKind, env: Record<string, string> = {}, opts: BuildOptions & { dbEnv?: Record<string, string> } = {}) {
  const dbEnv = opts.dbEnv ?? (await freshDatabaseEnv(kind));
  const config = loadConfig({ ...dbEnv, ...env });
  const feed = await createChangeFeed(config.audit);
  const store = await openAuditStore(config.audit, { feed });
  const app = await buildServer(config, { logger: false, ...opts, audit: store, feed });
  await app.listen({ host: '127.0.0.1', port: 0 });
  cleanup.push(() => app.close());
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const stream = async (query = '', headers: Record<string, string> = {}) => {
    const s = await openSse(`${url}/api/panel/events${query}`, headers);
    cleanup.push(() => s.close());
    return s;
  };
  return { app, store, url, dbEnv, stream };
}

const LIVE = { KATAPULT_API_URL: 'https://api.example.test/core/v1', KATAPULT_API_TOKEN: 'events-test-token-0123456789' };

describe.each(DATABASE_KINDS)('the change events on %s', (kind) => {
  it('streams a change of the interface as it starts, runs and ends, and nothing of another interface', async () => {
    const { store, stream } = await server(kind, LIVE);
    const s = await stream(`?interface=${NIC}`);
    expect(s.response.status).toBe(200);
    expect(s.response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(s.response.headers.get('cache-control')).toBe('no-store');
    expect(s.response.headers.get('x-accel-buffering')).toBe('no');
    // The security headers apply to the stream as to every answer.
    expect(s.response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(s.response.headers.get('content-security-policy')).toContain('sandbox');

    const id = await store.recordChange(change());
    const started = await s.next();
    expect(started.event).toBe('change');
    expect(data(started)).toMatchObject({ kind: 'started', entry: { id, outcome: 'pending', user: 'alice@example.com', interface_id: NIC } });
    expect(started.id).toBe(`${data(started).entry.updated_at}~${id}`);

    await store.recordChange(change({ interfaceId: OTHER_NIC }));
    await store.recordAnswer(id, { taskId: TASK, status: 'running' });
    expect(data(await s.next())).toMatchObject({ kind: 'progress', entry: { id, outcome: 'running', task_id: TASK } });
    await store.recordTaskState(TASK, 'completed');
    expect(data(await s.next())).toMatchObject({ kind: 'ended', entry: { id, outcome: 'completed', blocking: false } });
  });

  it('sends every interface’s changes to a stream without a filter (the Audit view)', async () => {
    const { store, stream } = await server(kind, LIVE);
    const s = await stream();
    const a = await store.recordChange(change());
    expect(data(await s.next()).entry.id).toBe(a);
    const b = await store.recordChange(change({ interfaceId: OTHER_NIC }));
    expect(data(await s.next()).entry).toMatchObject({ id: b, interface_id: OTHER_NIC });
  });

  it('replays what changed while the browser was away from its Last-Event-ID, and not the event it had', async () => {
    const { store, stream } = await server(kind, LIVE);
    const first = await stream(`?interface=${NIC}`);
    const id = await store.recordChange(change());
    const seen = await first.next();
    first.close();

    await store.recordAnswer(id, { taskId: TASK, status: 'running' });
    await store.recordTaskState(TASK, 'completed');
    const again = await stream(`?interface=${NIC}`, { 'last-event-id': seen.id! });
    expect(data(await again.next())).toMatchObject({ kind: 'ended', entry: { id, outcome: 'completed' } });
    // Nothing else was missed: the next event is a new change, not the one the browser had.
    const next = await store.recordChange(change({ user: 'bob@example.com' }));
    expect(data(await again.next())).toMatchObject({ kind: 'started', entry: { id: next, user: 'bob@example.com' } });
  });

  it('refuses an interface filter that is not an interface id', async () => {
    const { url } = await server(kind, LIVE);
    const res = await fetch(`${url}/api/panel/events?interface=${encodeURIComponent("x' or 1=1")}`);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'invalid_events_filter', detail: { parameter: 'interface' } } });
  });

  it('counts its open streams for the operators (GET /metrics)', async () => {
    const { url, stream } = await server(kind, { ...LIVE, METRICS_TOKEN: FAKE_METRICS_TOKEN });
    const open = () =>
      fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${FAKE_METRICS_TOKEN}` } })
        .then((r) => r.text())
        .then((t) => /^panel_sse_clients (\d+)$/m.exec(t)?.[1]);
    const a = await stream();
    await stream(`?interface=${NIC}`);
    expect(await open()).toBe('2');
    a.close();
    await expect.poll(open).toBe('1');
  });

  it('ends its streams when the server closes, without waiting for them', async () => {
    const { app, stream } = await server(kind, LIVE);
    const s = await stream();
    await app.close();
    await s.ended();
  });
});

describe('the change events in demo mode', () => {
  it('carry only the changes of the browser’s own demo session', async () => {
    const { store, stream } = await server('sqlite');
    const mine = await stream('', { cookie: `${SESSION_COOKIE}=alice-session` });
    const theirs = await stream('', { cookie: `${SESSION_COOKIE}=other-session` });
    await store.recordChange(change({ lockScope: 'demo:other-session', user: 'other' }));
    const own = await store.recordChange(change({ lockScope: 'demo:alice-session' }));
    expect(data(await mine.next()).entry.id).toBe(own);
    expect(data(await theirs.next()).entry.user).toBe('other');
  });
});

describe('the event streams’ limits', () => {
  it('refuses a stream past the cap with 503 too_many_event_streams, and keeps the open ones alive with comments', async () => {
    const app = Fastify();
    await app.register(events, {
      feed: createLocalFeed(),
      store: { get: async () => undefined, changedSince: async () => [] },
      maxStreams: 1,
      heartbeatMs: 20,
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    cleanup.push(() => app.close());
    const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/api/panel/events`;
    const open: SseStream = await openSse(url);
    cleanup.push(() => open.close());
    const refused = await fetch(url);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('30');
    expect(await refused.json()).toMatchObject({ error: { code: 'too_many_event_streams' } });
    expect(await open.nextComment()).toBe('keep-alive');
  });
});

describe('the change events across servers on one PostgreSQL', () => {
  it('shows a change made through server A on a stream of server B', async () => {
    const { upstream } = recordingUpstream(async (req) => {
      const path = new URL(req.url).pathname;
      if (req.method === 'PATCH') return Response.json({ task: { id: TASK, status: 'pending' } });
      if (path.endsWith('/virtual_machine_network_interface')) {
        return Response.json({ virtual_machine_network_interface: { id: NIC, speed_profile: { id: 'nsp_100', name: '100 Mbps' } } });
      }
      return Response.json({ task: { id: TASK, status: 'running', progress: 40 } });
    });
    const a = await server('postgres', LIVE, { upstream });
    const b = await server('postgres', LIVE, { upstream, dbEnv: a.dbEnv });
    const onB = await b.stream(`?interface=${NIC}`);
    const res = await fetch(`${a.url}/api/virtual_machine_network_interfaces/virtual_machine_network_interface/update_speed_profile`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', 'x-katapult-panel': '1' },
      body: JSON.stringify({ virtual_machine_network_interface: { id: NIC }, speed_profile: { permalink: '10gbps' } }),
    });
    expect(res.status).toBe(200);
    const seen: ChangeEvent[] = [data(await onB.next())];
    while (seen.at(-1)!.entry.outcome === 'pending') seen.push(data(await onB.next()));
    expect(seen.at(-1)).toMatchObject({ kind: 'progress', entry: { interface_id: NIC, task_id: TASK, outcome: 'running' } });
  });
});
