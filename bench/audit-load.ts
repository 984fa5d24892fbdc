/**
 * The audit log under load: N speed changes sent at once through the real server's proxy (demo mode,
 * the embedded mock; one mock session per change, so each is accepted with its own task), with the
 * audit on a fresh SQLite file, then the same load with auditing off. Counts the records (none lost,
 * none doubled), times the audit's own writes per change (record before + answer after, queue wait
 * included), and the added p50 of the change's latency. Run alone: `npx tsx bench/audit-load.ts`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildServer } from '../server/app.ts';
import { openAuditStore, type AuditStore } from '../server/audit/store.ts';
import { loadConfig } from '../server/config.ts';
import { median, round } from './stats.ts';

const CHANGE_PATH = '/api/virtual_machine_network_interfaces/virtual_machine_network_interface/update_speed_profile';
const BODY = JSON.stringify({
  virtual_machine_network_interface: { id: 'vmnet_olNAz8ThH0emHvdr' },
  speed_profile: { permalink: '10gbps' },
});
/** Audit-on/audit-off pairs; the figures are medians over them. */
const PAIRS = 3;

export interface AuditLoadFigures {
  changes: number;
  /** Records written in the last audited run (should equal `changes`). */
  records: number;
  /** Accepted changes (a task id answered) without a record holding that task id. */
  lost: number;
  /** Records beyond one per accepted change (the same task id twice). */
  doubled: number;
  /** The audit's own time per recorded change: its two writes, waiting for the database included. */
  p50Ms: number;
  p99Ms: number;
  /** The read of the interface from Katapult (here the mock) that precedes each record, p50 under the load. */
  readP50Ms: number;
  /** The change's p50 latency with auditing minus without, under the same concurrent load. */
  addedP50Ms: number;
  /** The same, one change at a time (what a single user waits extra, without queueing behind others). */
  sequentialAddedP50Ms: number;
}

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? Number.NaN;
};

/** Wraps the store so that each change's write time (recordChange + recordAnswer) is kept. */
function timed(store: AuditStore) {
  const byId = new Map<string, number>();
  const wrapped: AuditStore = {
    ...store,
    async recordChange(c) {
      const t0 = performance.now();
      const id = await store.recordChange(c);
      byId.set(id, performance.now() - t0);
      return id;
    },
    async recordAnswer(id, answer) {
      const t0 = performance.now();
      await store.recordAnswer(id, answer);
      byId.set(id, (byId.get(id) ?? 0) + performance.now() - t0);
    },
  };
  return { store: wrapped, writeMs: () => [...byId.values()] };
}

async function runOnce(n: number, audited: boolean, concurrent: boolean, tag: string) {
  const dir = mkdtempSync(join(tmpdir(), 'katapult-audit-bench-'));
  const config = loadConfig({ LOG_LEVEL: 'silent', AUDIT_DB: join(dir, 'audit.sqlite') });
  const t = audited ? timed(await openAuditStore(config.audit)) : undefined;
  const app = await buildServer(config, { logger: false, distDir: null, ...(t ? { audit: t.store } : {}) });
  const readMs: number[] = [];
  if (t) {
    // Times the audit's read of the interface (it goes through the proxy's own `get`).
    const get = app.panelProxy.get;
    app.panelProxy.get = async (...args) => {
      const t0 = performance.now();
      try {
        return await get(...args);
      } finally {
        readMs.push(performance.now() - t0);
      }
    };
  }
  try {
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}${CHANGE_PATH}`;
    const one = async (i: number) => {
      const t0 = performance.now();
      const res = await fetch(url, {
        method: 'PATCH',
        headers: { 'x-katapult-panel': '1', 'content-type': 'application/json', cookie: `katapult-mock-session=bench-${tag}-${i}` },
        body: BODY,
      });
      const body = (await res.json()) as { task?: { id?: string } };
      return { ms: performance.now() - t0, taskId: res.status === 200 ? body.task?.id : undefined };
    };
    const answers: { ms: number; taskId: string | undefined }[] = [];
    if (concurrent) answers.push(...(await Promise.all(Array.from({ length: n }, (_, i) => one(i)))));
    else for (let i = 0; i < n; i++) answers.push(await one(i));
    let records = 0;
    let lost = 0;
    let doubled = 0;
    if (t) {
      const taskIds: (string | null)[] = [];
      for await (const e of t.store.all({})) taskIds.push(e.task_id);
      records = taskIds.length;
      const counts = new Map<string | null, number>();
      for (const id of taskIds) counts.set(id, (counts.get(id) ?? 0) + 1);
      for (const a of answers) if (a.taskId && !counts.has(a.taskId)) lost++;
      for (const c of counts.values()) doubled += Math.max(0, c - 1);
    }
    return { p50: median(answers.map((a) => a.ms)), writeMs: t?.writeMs() ?? [], readMs, records, lost, doubled };
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function auditLoad(opts: { changes?: number } = {}): Promise<AuditLoadFigures> {
  const n = opts.changes ?? 200;
  const stamp = `${process.pid}-${Date.now()}`;
  // Warm-up: module loading, JIT, the mock's first sessions.
  await runOnce(20, true, true, `warm-${stamp}`);
  await runOnce(20, false, true, `warm-off-${stamp}`);
  const added: number[] = [];
  const sequential: number[] = [];
  let last: Awaited<ReturnType<typeof runOnce>> | undefined;
  const writes: number[] = [];
  const reads: number[] = [];
  for (let p = 0; p < PAIRS; p++) {
    const off = await runOnce(n, false, true, `off-${stamp}-${p}`);
    last = await runOnce(n, true, true, `on-${stamp}-${p}`);
    writes.push(...last.writeMs);
    reads.push(...last.readMs);
    added.push(last.p50 - off.p50);
    const seqOff = await runOnce(Math.min(n, 50), false, false, `seq-off-${stamp}-${p}`);
    const seqOn = await runOnce(Math.min(n, 50), true, false, `seq-on-${stamp}-${p}`);
    sequential.push(seqOn.p50 - seqOff.p50);
  }
  return {
    changes: n,
    records: last?.records ?? 0,
    lost: last?.lost ?? n,
    doubled: last?.doubled ?? 0,
    p50Ms: round(percentile(writes, 50), 3),
    p99Ms: round(percentile(writes, 99), 3),
    readP50Ms: round(percentile(reads, 50), 3),
    addedP50Ms: round(median(added)),
    sequentialAddedP50Ms: round(median(sequential)),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(await auditLoad());
}
