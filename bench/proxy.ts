/**
 * The server part: the proxy's added latency. autocannon (in its own process) calls a stand-in
 * upstream directly, then through the panel's proxy, at 50 and 200 connections, 127.0.0.1 only.
 * The stand-in (its own process) answers a lookup JSON after a fixed delay. The proxy runs in its
 * own process too (bench/proxy-server.ts, Node flags as `npm start`), not in this one, whose heap
 * holds the browser parts' state and whose garbage collections then land in the proxy's latency.
 *
 * Two proxies are measured the same way, both with the deadline, queue and size cap: the server as
 * it is (undici's Agent called directly, kept) and the same server on @fastify/reply-from, run from
 * git history (REPLY_FROM_REV) in a scratch directory, so that path needs no code kept in server/.
 * `tsx bench/proxy.ts` runs this part alone and prints both.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PROJECT_ROOT } from '../server/root.ts';
import { cannon, LOOKUP_PATH, startStandIn, stopStandIn, type CannonResult } from './standin.ts';

/** The last commit whose proxy relayed through @fastify/reply-from (a devDependency for this comparison only). */
export const REPLY_FROM_REV = '90bd1d6';

/** Extracts the previous proxy's server (and what it imports) from git into a scratch directory. */
function checkoutPrevious(rev: string): { root: string; remove: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'panel-previous-proxy-'));
  const tar = execFileSync('git', ['-C', PROJECT_ROOT, 'archive', rev, 'server', 'src', 'spec', 'package.json']);
  execFileSync('tar', ['-x', '-C', root], { input: tar });
  symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(root, 'node_modules'));
  return { root, remove: () => rmSync(root, { recursive: true, force: true }) };
}

/** Starts bench/proxy-server.ts in its own Node process; resolves with its port. */
function startProxy(upstreamUrl: string, serverRoot?: string): Promise<{ port: number; child: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--max-semi-space-size=32', '--import', 'tsx', fileURLToPath(new URL('proxy-server.ts', import.meta.url))],
      {
        env: { ...process.env, UPSTREAM_URL: upstreamUrl, ...(serverRoot ? { SERVER_ROOT: serverRoot } : {}) },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`proxy server exited with ${code}`)));
    child.stdout?.once('data', (d: Buffer) => resolve({ port: Number(d.toString().trim()), child }));
  });
}

const CONNECTIONS = [50, 200];
const WARMUP_SECONDS = 2;
/** Direct/proxied pairs per connection count. */
const PAIRS = 3;

export interface ProxyRow {
  connections: number;
  direct: CannonResult;
  proxied: CannonResult;
  /** Median over the pairs; `direct` and `proxied` are the median pair (errors: all proxied runs). */
  p50OverheadMs: number;
  p99OverheadMs: number;
  /** The added p50 of each direct/proxied pair, in the order run. */
  pairsP50OverheadMs: number[];
}
export interface ProxyFigures {
  upstreamDelayMs: number;
  secondsEach: number;
  pairs: number;
  /** The server's proxy as it is (undici): the one the budgets apply to. */
  rows: ProxyRow[];
  /** The same server on @fastify/reply-from, measured the same way for comparison. */
  previous?: { rev: string; rows: ProxyRow[] } | undefined;
}

export async function measureProxy(
  log: (s: string) => void,
  secondsEach = 5,
  upstreamDelayMs = 50,
  opts: { previous?: boolean } = { previous: true },
): Promise<ProxyFigures> {
  const current = await measureOne(log, 'undici', secondsEach, upstreamDelayMs);
  let previous: ProxyFigures['previous'];
  if (opts.previous) {
    const checkout = checkoutPrevious(REPLY_FROM_REV);
    try {
      previous = { rev: REPLY_FROM_REV, rows: await measureOne(log, `reply-from (${REPLY_FROM_REV})`, secondsEach, upstreamDelayMs, checkout.root) };
    } finally {
      checkout.remove();
    }
  }
  const line = (label: string, rows: ProxyRow[]) =>
    `  proxy ${label}: ${rows.map((r) => `${r.connections} connections added p50 ${r.p50OverheadMs.toFixed(1)} ms (pairs ${r.pairsP50OverheadMs.join(', ')}), p99 ${r.p99OverheadMs.toFixed(1)} ms, ${r.proxied.rps.toFixed(0)} req/s, errors ${r.proxied.errors + r.proxied.timeouts + r.proxied.non2xx}`).join('; ')}`;
  log(line('undici (kept)', current));
  if (previous) log(line(`@fastify/reply-from (${previous.rev})`, previous.rows));
  return { upstreamDelayMs, secondsEach, pairs: PAIRS, rows: current, previous };
}

async function measureOne(log: (s: string) => void, label: string, secondsEach: number, upstreamDelayMs: number, serverRoot?: string) {
  const standin = await startStandIn(upstreamDelayMs);
  const proxy = await startProxy(`${standin.url}/core/v1`, serverRoot);
  try {
    const proxyUrl = `http://127.0.0.1:${proxy.port}/api${LOOKUP_PATH}`;
    const directUrl = `${standin.url}/core/v1${LOOKUP_PATH}`;
    // Warm up both paths (JIT, connection pools) at each measured connection count, so the first
    // row is not timing the proxy's warm-up: after 1 s at 10 connections the proxy still spent
    // about 1.7× the CPU per request of its steady state during the 50-connection row.
    for (const connections of CONNECTIONS) {
      await cannon(directUrl, connections, WARMUP_SECONDS);
      await cannon(proxyUrl, connections, WARMUP_SECONDS);
    }
    // Direct and proxied runs alternate, PAIRS times per connection count; the added latency is the
    // median over the pairs (one pair swings by ±2 ms on a shared 2-core machine), and the errors are
    // those of every proxied run.
    const rows: ProxyRow[] = [];
    for (const connections of CONNECTIONS) {
      const pairs: { direct: CannonResult; proxied: CannonResult }[] = [];
      for (let i = 0; i < PAIRS; i++) {
        const direct = await cannon(directUrl, connections, secondsEach);
        const proxied = await cannon(proxyUrl, connections, secondsEach);
        pairs.push({ direct, proxied });
      }
      const byP50 = [...pairs].sort((a, b) => a.proxied.p50 - a.direct.p50 - (b.proxied.p50 - b.direct.p50));
      const mid = byP50[Math.floor(byP50.length / 2)] ?? pairs[0];
      if (!mid) throw new Error('no proxy pair measured');
      const p99s = pairs.map((x) => x.proxied.p99 - x.direct.p99).sort((a, b) => a - b);
      const sum = (f: (c: CannonResult) => number) => pairs.reduce((n, x) => n + f(x.proxied), 0);
      rows.push({
        connections,
        direct: mid.direct,
        proxied: { ...mid.proxied, errors: sum((c) => c.errors), timeouts: sum((c) => c.timeouts), non2xx: sum((c) => c.non2xx) },
        p50OverheadMs: mid.proxied.p50 - mid.direct.p50,
        p99OverheadMs: p99s[Math.floor(p99s.length / 2)] ?? 0,
        pairsP50OverheadMs: pairs.map((x) => x.proxied.p50 - x.direct.p50),
      });
      log(`  proxy ${label}: ${connections} connections done (${PAIRS} pairs)`);
    }
    return rows;
  } finally {
    proxy.child.removeAllListeners('exit');
    proxy.child.kill('SIGKILL');
    await stopStandIn(standin);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await measureProxy((s) => console.log(s));
}
