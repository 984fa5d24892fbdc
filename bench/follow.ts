/**
 * The server's follower (issue 29), measured against a real server process (`tsx server/main.ts`,
 * SQLite) and a stand-in Katapult whose tasks end a fixed time after their change, with no browser:
 *
 * - end → record: each task ends in Katapult at a known instant; the record's `ended_at` (written by
 *   the server when its follower saw the end) minus that instant. Both clocks are this machine's.
 * - viewers: the same change followed with 1 and with 10 viewers polling GET /api/tasks/task every
 *   second (react-query's interval in the panel) until the task ends; Katapult's task requests per
 *   task are counted by the stand-in.
 */
import type { AuditListAnswer } from '../protocol/audit.ts';
import { freshSqliteEnv } from './follow-env.ts';
import { spawnServer, type ChildServer } from '../server/testing/spawn-server.ts';
import { serveUpstream } from '../server/upstream.ts';
import { round } from './stats.ts';

const CHANGE_PATH = '/api/virtual_machine_network_interfaces/virtual_machine_network_interface/update_speed_profile';
const TASK_MS = 4000;

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? Number.NaN;
};

export interface FollowFigures {
  changes: number;
  taskMs: number;
  /** Task end in Katapult → record ended, ms. */
  endToRecord: { p50: number; p90: number; max: number };
  /** Katapult task requests per task, with 1 and with 10 viewers polling every second. */
  taskRequests: { oneViewer: number; tenViewers: number; ratio: number };
}

/** Katapult: every change starts a task that ends TASK_MS later; counts task requests per task. */
async function standIn() {
  const endsAt = new Map<string, number>();
  const requests = new Map<string, number>();
  let n = 0;
  const served = await serveUpstream(async (req) => {
    const url = new URL(req.url);
    if (req.method === 'PATCH') {
      const id = `task_Bench${String(++n).padStart(10, '0')}`;
      endsAt.set(id, Date.now() + TASK_MS);
      return Response.json({ task: { id, status: 'pending' } });
    }
    if (url.pathname.endsWith('/tasks/task')) {
      const id = url.searchParams.get('task[id]') ?? '';
      requests.set(id, (requests.get(id) ?? 0) + 1);
      const end = endsAt.get(id) ?? 0;
      const left = end - Date.now();
      const status = left <= 0 ? 'completed' : 'running';
      return Response.json({ task: { id, status, progress: Math.min(100, Math.round(100 - (100 * left) / TASK_MS)) } });
    }
    const id = url.searchParams.get('virtual_machine_network_interface[id]');
    return Response.json({ virtual_machine_network_interface: { id, speed_profile: { id: 'nsp_100', name: '100 Mbps', permalink: '100mbps' } } });
  }, 'https://api.bench.test');
  return { ...served, endsAt, requests };
}

const nic = (i: number) => `vmnet_Follow${String(i).padStart(10, '0')}`;

async function change(server: ChildServer, i: number): Promise<string> {
  const res = await fetch(server.url + CHANGE_PATH, {
    method: 'PATCH',
    headers: { 'x-katapult-panel': '1', 'content-type': 'application/json' },
    body: JSON.stringify({ virtual_machine_network_interface: { id: nic(i) }, speed_profile: { permalink: '10gbps' } }),
  });
  const body = (await res.json()) as { task?: { id: string } };
  if (!body.task) throw new Error(`change ${i}: HTTP ${res.status}`);
  return body.task.id;
}

async function record(server: ChildServer, i: number) {
  const list = (await (await fetch(`${server.url}/api/panel/audit?interface=${nic(i)}`)).json()) as AuditListAnswer;
  return list.entries[0];
}

/** Polls the task as a viewer's panel does (every second) until it reads an end. */
async function viewer(server: ChildServer, taskId: string) {
  for (;;) {
    const res = await fetch(`${server.url}/api/tasks/task?task%5Bid%5D=${taskId}`, { headers: { 'x-katapult-panel': '1' } });
    const body = (await res.json()) as { task?: { status?: string } };
    if (body.task?.status === 'completed' || body.task?.status === 'failed') return;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

export async function measureFollow(changes = 10, log: (s: string) => void = console.error): Promise<FollowFigures> {
  const k = await standIn();
  const server = await spawnServer({ ...freshSqliteEnv(), KATAPULT_API_URL: `${k.url}/core/v1`, KATAPULT_API_TOKEN: 'bench-token', LOG_LEVEL: 'info' });
  try {
    log(`  follow: ${changes} changes, no browser, tasks of ${TASK_MS / 1000} s …`);
    const ids = await Promise.all(Array.from({ length: changes }, (_, i) => change(server, i)));
    const lags: number[] = [];
    for (let i = 0; i < changes; i++) {
      let e = await record(server, i);
      while (!e?.ended_at) {
        await new Promise((r) => setTimeout(r, 200));
        e = await record(server, i);
      }
      lags.push(Date.parse(e.ended_at) - k.endsAt.get(ids[i]!)!);
    }
    log('  follow: 1 viewer, then 10 viewers …');
    const perTask = async (viewers: number, base: number) => {
      const counts: number[] = [];
      for (let i = 0; i < 3; i++) {
        const taskId = await change(server, base + i);
        await Promise.all(Array.from({ length: viewers }, () => viewer(server, taskId)));
        counts.push(k.requests.get(taskId) ?? 0);
      }
      return counts.reduce((a, b) => a + b, 0) / counts.length;
    };
    const one = await perTask(1, 1000);
    const ten = await perTask(10, 2000);
    return {
      changes,
      taskMs: TASK_MS,
      endToRecord: { p50: round(percentile(lags, 50)), p90: round(percentile(lags, 90)), max: round(Math.max(...lags)) },
      taskRequests: { oneViewer: round(one, 2), tenViewers: round(ten, 2), ratio: round(ten / one, 3) },
    };
  } finally {
    await server.kill();
    await k.close();
  }
}

if (process.argv[1]?.endsWith('follow.ts')) {
  console.log(JSON.stringify(await measureFollow(), null, 2));
}
