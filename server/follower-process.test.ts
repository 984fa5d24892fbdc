/**
 * The follower across real server processes: a server killed mid-task is replaced by a new one
 * that resumes the change; two servers on one PostgreSQL follow a change one at a time, and the
 * survivor takes it over when the holder dies. Waits are for events (Katapult's requests, the record).
 */
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { AuditListAnswer } from '../protocol/audit.ts';
import { freshDatabaseEnv, type DatabaseKind } from './testing/databases.ts';
import { spawnServer, type ChildServer } from './testing/spawn-server.ts';
import { recordingUpstream } from './test-support.ts';
import { serveUpstream } from './upstream.ts';

const PANEL = { 'x-katapult-panel': '1', 'content-type': 'application/json' };
const CHANGE_URL = '/api/virtual_machine_network_interfaces/virtual_machine_network_interface/update_speed_profile';
const NIC = 'vmnet_olNAz8ThH0emHvdr';
const body = { virtual_machine_network_interface: { id: NIC }, speed_profile: { permalink: '10gbps' } };

/** Katapult whose one task runs until `finish()`; `taskRequests(n)` resolves once n task requests arrived. */
function katapult() {
  const state = { status: 'running', taskRequests: 0 };
  const waiters: { n: number; resolve: () => void }[] = [];
  const rec = recordingUpstream((req) => {
    const url = new URL(req.url);
    if (req.method === 'PATCH') return Response.json({ task: { id: 'task_Process1', status: 'pending' } });
    if (url.pathname.endsWith('/tasks/task')) {
      state.taskRequests += 1;
      for (const w of waiters.filter((w) => state.taskRequests >= w.n)) w.resolve();
      return Response.json({ task: { id: 'task_Process1', status: state.status, progress: state.status === 'completed' ? 100 : 50 } });
    }
    return Response.json({ virtual_machine_network_interface: { id: NIC, speed_profile: { id: 'nsp_100', name: '100 Mbps', permalink: '100mbps' } } });
  });
  const taskRequests = (n: number) => new Promise<void>((resolve) => (state.taskRequests >= n ? resolve() : waiters.push({ n, resolve })));
  return { ...rec, state, taskRequests };
}

const looks = (s: ChildServer) => s.lines.filter((l) => l.includes('"follower: look"')).length;
const ended = (s: ChildServer) => s.lines.some((l) => l.includes('"follower: change ended"'));

async function recordOf(server: ChildServer) {
  const list = (await (await fetch(`${server.url}/api/panel/audit?interface=${NIC}`)).json()) as AuditListAnswer;
  return list.entries[0];
}

describe('the follower across server processes', () => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c().catch(() => {});
  }, 60_000);

  async function setup(kind: DatabaseKind) {
    const k = katapult();
    const standIn = await serveUpstream(k.upstream, 'http://katapult.test');
    cleanup.push(() => standIn.close());
    const env: Record<string, string> = {
      ...(await freshDatabaseEnv(kind)),
      KATAPULT_API_URL: `${standIn.url}/core/v1`,
      KATAPULT_API_TOKEN: 'process-test-token',
      LOG_LEVEL: 'debug',
    };
    const start = async () => {
      const s = await spawnServer(env);
      cleanup.push(() => s.kill('SIGKILL'));
      return s;
    };
    return { k, env, start };
  }

  it.each(['sqlite', 'postgres'] as const)('resumes a change after its server was killed mid-task and records its end (%s)', async (kind) => {
    const { k, start } = await setup(kind);
    const first = await start();
    expect((await fetch(first.url + CHANGE_URL, { method: 'PATCH', headers: PANEL, body: JSON.stringify(body) })).status).toBe(200);
    await k.taskRequests(2);
    await first.kill('SIGKILL');
    const second = await start();
    k.state.status = 'completed';
    // The dead server's lease runs out, then the new one claims the change and sees the task's end.
    await expect.poll(async () => (await recordOf(second))?.outcome, { timeout: 60_000, interval: 500 }).toBe('completed');
    expect(ended(second)).toBe(true);
    expect((await recordOf(second))?.blocking).toBe(false);
  }, 120_000);

  it('follows a change from one of two servers on one PostgreSQL, and the other takes over when it dies', async () => {
    const { k, env, start } = await setup('postgres');
    const servers = await Promise.all([start(), start()]);
    expect((await fetch(servers[0]!.url + CHANGE_URL, { method: 'PATCH', headers: PANEL, body: JSON.stringify(body) })).status).toBe(200);
    await k.taskRequests(4);
    // Which process holds the change's lease: the owner names its pid.
    const client = new pg.Client({ connectionString: env.DATABASE_URL });
    await client.connect();
    const owner = (await client.query<{ follow_owner: string }>('select follow_owner from audit_log')).rows[0]!.follow_owner;
    await client.end();
    const holder = servers.find((s) => owner.split(':')[1] === String(s.child.pid))!;
    const survivor = servers.find((s) => s !== holder)!;
    expect(holder).toBeDefined();
    const before = { holder: looks(holder), survivor: looks(survivor), katapult: k.state.taskRequests };
    console.info(`[follower] two servers, before the kill: holder looked ${before.holder}, other ${before.survivor}, Katapult task requests ${before.katapult}`);
    expect(before.survivor).toBe(0);
    expect(before.holder).toBeGreaterThanOrEqual(before.katapult - 1);
    await holder.kill('SIGKILL');
    const killedAt = k.state.taskRequests;
    await k.taskRequests(killedAt + 2);
    k.state.status = 'completed';
    await expect.poll(async () => (await recordOf(survivor))?.outcome, { timeout: 60_000, interval: 500 }).toBe('completed');
    console.info(`[follower] two servers, after the kill: survivor looked ${looks(survivor)}, Katapult task requests ${k.state.taskRequests - killedAt}`);
    expect(ended(survivor)).toBe(true);
    expect(looks(survivor)).toBeGreaterThanOrEqual(k.state.taskRequests - killedAt);
  }, 180_000);
});
