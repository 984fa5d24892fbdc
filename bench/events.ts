/**
 * The change events (GET /api/panel/events, issue 29), measured at the protocol level against real
 * server processes (`tsx server/main.ts`), a stand-in Katapult answering at once, and no browser:
 *
 * - fan-out: STREAMS open streams on one server (SQLite); each of CHANGES changes (a PATCH through
 *   the proxy, each on its own interface) is timed from the PATCH sent to its first event on every
 *   stream; the server's RSS idle, and with the streams open.
 * - across servers: two servers on one PostgreSQL; a stream on server B; a change PATCHed through
 *   server A, timed from the PATCH sent to its first event on B (LISTEN/NOTIFY between them).
 * - on screen: the same two servers, with the demo mock as their Katapult (served over HTTP); bob's
 *   panel (Chromium) shows the interface from server B; a change PATCHed through server A is timed
 *   from the PATCH sent to bob's card showing "Changing to …" (a MutationObserver in the page).
 *
 * `npx tsx bench/events.ts [--streams 200] [--changes 30]` prints the figures as JSON (the on-screen
 * part serves dist/: run `npm run build` first). Nothing here is a test; the machine's load moves the figures.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startPostgres } from '../server/testing/postgres.ts';
import { spawnServer, type ChildServer } from '../server/testing/spawn-server.ts';
import { openSse, type SseStream } from '../server/testing/sse.ts';
import { DEMO } from '../mock/seed.ts';
import { DEMO_ORIGIN, demoUpstream, serveUpstream } from '../server/upstream.ts';
import { freshContext, launch } from './browser.ts';
import { round } from './stats.ts';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
let STREAMS = arg('streams', 200);
let CHANGES = arg('changes', 30);
const CHANGE_PATH = '/api/virtual_machine_network_interfaces/virtual_machine_network_interface/update_speed_profile';

const rssMb = (pid: number) => Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)]).toString().trim()) / 1024;
const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? Number.NaN;
};
const nic = (i: number) => `vmnet_Bench${String(i).padStart(11, '0')}`;

/** Katapult, answering at once: the interface as asked for, and every change with a pending task. */
async function standIn() {
  let task = 0;
  return serveUpstream(async (req) => {
    const url = new URL(req.url);
    if (req.method === 'PATCH') return Response.json({ task: { id: `task_Bench${String(++task).padStart(10, '0')}`, status: 'pending' } });
    if (url.pathname.endsWith('/virtual_machine_network_interface')) {
      const id = url.searchParams.get('virtual_machine_network_interface[id]');
      return Response.json({ virtual_machine_network_interface: { id, speed_profile: { id: 'nsp_100', name: '100 Mbps' } } });
    }
    return Response.json({ task: { id: url.searchParams.get('task[id]'), status: 'running', progress: 10 } });
  }, 'https://api.bench.test');
}

const patch = (server: ChildServer, interfaceId: string) =>
  fetch(server.url + CHANGE_PATH, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', 'x-katapult-panel': '1' },
    body: JSON.stringify({ virtual_machine_network_interface: { id: interfaceId }, speed_profile: { permalink: '10gbps' } }),
  });

/** Hands the time each stream first hears of a change of an interface to one of that interface's waiters. */
function heard(streams: SseStream[], pending: Map<string, ((t: number) => void)[]>) {
  for (const s of streams) {
    const seen = new Set<string>();
    void (async () => {
      for (;;) {
        const e = await s.next().catch(() => undefined);
        if (!e) return;
        const t = performance.now();
        const id = (JSON.parse(e.data) as { entry: { interface_id: string } }).entry.interface_id;
        // A change's later events (its task answered) are not its first.
        if (seen.has(id)) continue;
        seen.add(id);
        const waiting = pending.get(id);
        const resolve = waiting?.shift();
        resolve?.(t);
      }
    })();
  }
}

async function fanOut() {
  const katapult = await standIn();
  const dir = mkdtempSync(join(tmpdir(), 'bench-events-'));
  const env = { KATAPULT_API_URL: `${katapult.url}/core/v1`, KATAPULT_API_TOKEN: 'bench-token', AUDIT_DB: join(dir, 'audit.sqlite'), LOG_LEVEL: 'info' };
  const server = await spawnServer(env);
  try {
    for (let i = 0; i < 5; i++) await (await fetch(`${server.url}/healthz`)).text();
    const idle = rssMb(server.child.pid!);
    const streams = await Promise.all(Array.from({ length: STREAMS }, () => openSse(`${server.url}/api/panel/events`)));
    const withStreams = rssMb(server.child.pid!);
    const pending = new Map<string, ((t: number) => void)[]>();
    heard(streams, pending);
    const latencies: number[] = [];
    /** Per change: from its first stream's arrival to its last (the fan-out itself, without the change's own time). */
    const spreads: number[] = [];
    for (let c = 0; c < CHANGES; c++) {
      const id = nic(c);
      const arrivals = Array.from({ length: STREAMS }, () => new Promise<number>((resolve) => (pending.get(id) ?? pending.set(id, []).get(id)!).push(resolve)));
      const sent = performance.now();
      const res = await patch(server, id);
      await res.text();
      const times = await Promise.all(arrivals);
      for (const t of times) latencies.push(t - sent);
      spreads.push(Math.max(...times) - Math.min(...times));
    }
    const afterChanges = rssMb(server.child.pid!);
    for (const s of streams) s.close();
    return {
      streams: STREAMS,
      changes: CHANGES,
      rssMb: { idle: round(idle, 1), withStreams: round(withStreams, 1), afterChanges: round(afterChanges, 1), overIdle: round(withStreams - idle, 1) },
      patchSentToEventMs: { p50: round(percentile(latencies, 50), 1), p99: round(percentile(latencies, 99), 1), max: round(Math.max(...latencies), 1), n: latencies.length },
      firstToLastStreamMs: { p50: round(percentile(spreads, 50), 1), p99: round(percentile(spreads, 99), 1), n: spreads.length },
      loadAverage: loadavg().map((x) => round(x, 2)),
    };
  } finally {
    await server.kill();
    await katapult.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function acrossServers() {
  const katapult = await standIn();
  const postgres = await startPostgres();
  const admin = new pg.Client({ connectionString: postgres.url });
  await admin.connect();
  await admin.query('create database bench_events');
  await admin.end();
  const env = {
    KATAPULT_API_URL: `${katapult.url}/core/v1`,
    KATAPULT_API_TOKEN: 'bench-token',
    DATABASE_URL: postgres.url.replace(/\/postgres$/, '/bench_events'),
    LOG_LEVEL: 'info',
  };
  const a = await spawnServer(env);
  const b = await spawnServer(env);
  try {
    const stream = await openSse(`${b.url}/api/panel/events`);
    const pending = new Map<string, ((t: number) => void)[]>();
    heard([stream], pending);
    const latencies: number[] = [];
    for (let c = 0; c < CHANGES; c++) {
      const id = nic(1000 + c);
      const arrival = new Promise<number>((resolve) => pending.set(id, [resolve]));
      const sent = performance.now();
      await (await patch(a, id)).text();
      latencies.push((await arrival) - sent);
    }
    stream.close();
    return { changes: CHANGES, patchOnAToEventOnBMs: { p50: round(percentile(latencies, 50), 1), p99: round(percentile(latencies, 99), 1), n: latencies.length } };
  } finally {
    await a.kill();
    await b.kill();
    await katapult.close();
    postgres.stop();
  }
}

/** Bob's panel on server B shows a change PATCHed through server A: from the PATCH sent to "Changing to" on screen. */
async function onScreen() {
  const katapult = await serveUpstream(demoUpstream, DEMO_ORIGIN);
  const control = (path: string, body: unknown) =>
    fetch(`${katapult.url}/__mock/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  await control('reset', { taskDurationMs: 300 });
  const postgres = await startPostgres();
  const admin = new pg.Client({ connectionString: postgres.url });
  await admin.connect();
  await admin.query('create database bench_screen');
  await admin.end();
  const env = {
    KATAPULT_API_URL: `${katapult.url}/core/v1`,
    KATAPULT_API_TOKEN: 'bench-token',
    DATABASE_URL: postgres.url.replace(/\/postgres$/, '/bench_screen'),
    DIST_DIR: 'dist',
    LOG_LEVEL: 'info',
  };
  const a = await spawnServer(env);
  const b = await spawnServer(env);
  const browser = await launch();
  try {
    const bob = await (await freshContext(browser)).newPage();
    await bob.goto(`${b.url}/?vm=${DEMO.vm}&network=${DEMO.network}`);
    await bob.getByRole('region', { name: 'Recent changes' }).waitFor();
    // The wall-clock time "Changing to …" first shows, and when it goes again (the change ended).
    await bob.evaluate(() => {
      const w = window as unknown as { shownAt?: number; goneAt?: number };
      const changing = () => [...document.querySelectorAll('[role="status"]')].some((e) => e.textContent?.startsWith('Changing to'));
      new MutationObserver(() => {
        const now = changing();
        if (now && w.shownAt === undefined) w.shownAt = Date.now();
        if (!now && w.shownAt !== undefined && w.goneAt === undefined) w.goneAt = Date.now();
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    const latencies: number[] = [];
    for (let c = 0; c < Math.min(CHANGES, 10); c++) {
      await bob.evaluate(() => {
        const w = window as unknown as { shownAt?: number; goneAt?: number };
        w.shownAt = undefined;
        w.goneAt = undefined;
      });
      const sent = Date.now();
      const res = await fetch(a.url + CHANGE_PATH, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', 'x-katapult-panel': '1' },
        body: JSON.stringify({ virtual_machine_network_interface: { id: DEMO.interface }, speed_profile: { permalink: c % 2 === 0 ? '10gbps' : '1gbps' } }),
      });
      if (!res.ok) throw new Error(`the change answered ${res.status}: ${await res.text()}`);
      await bob.waitForFunction(() => (window as unknown as { goneAt?: number }).goneAt !== undefined, null, { timeout: 30_000 }).catch(async (e: unknown) => {
        console.error(await bob.evaluate(() => JSON.stringify({ shownAt: (window as unknown as { shownAt?: number }).shownAt, text: document.body.innerText.slice(0, 1500) })));
        throw e;
      });
      latencies.push((await bob.evaluate(() => (window as unknown as { shownAt: number }).shownAt)) - sent);
    }
    return { changes: latencies.length, patchOnAToShownOnBMs: { p50: round(percentile(latencies, 50), 1), max: round(Math.max(...latencies), 1), n: latencies.length } };
  } finally {
    await browser.close();
    await a.kill();
    await b.kill();
    await katapult.close();
    postgres.stop();
  }
}

/** Every part, in turn (`npm run bench -- --only events`). */
export async function measureEvents(streams = 200, changes = 30) {
  STREAMS = streams;
  CHANGES = changes;
  return { fanOut: await fanOut(), acrossServers: await acrossServers(), onScreen: await onScreen() };
}
export type EventFigures = Awaited<ReturnType<typeof measureEvents>>;

if (process.argv[1]?.endsWith('events.ts')) {
  const results = { date: new Date().toISOString(), ...(await measureEvents(STREAMS, CHANGES)) };
  console.log(JSON.stringify(results, null, 2));
  process.exit(0);
}
