/**
 * `npm run load`: the panel's proxy under load, 127.0.0.1 only, bounded in time (about a minute).
 *
 * 1. direct:    autocannon → stand-in Katapult (50 ms latency), the floor to compare against
 * 2. proxy:     autocannon → panel server (live mode, in this process) → stand-in; 200 connections
 *               for 20 s; RSS of this process (the panel's server) sampled every second
 * 3. outage:    the same through the proxy while the stand-in is killed and started again on the
 *               same port: 502s with clear bodies while it is gone, 200s again by themselves
 *
 * Prints a table and writes bench/load-results.json. It is a measurement, not a test: the
 * correctness of the same behaviour is asserted in server/resilience.test.ts.
 * Options: --seconds=20 --connections=200 --latency=50 --upstream-timeout-ms=15000 (the server's default)
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildServer } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { cannon, LOOKUP_PATH, startStandIn, stopStandIn, type CannonResult } from './standin.ts';

const arg = (name: string, fallback: number) => {
  const v = process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  return v !== undefined && Number.isFinite(Number(v)) ? Number(v) : fallback;
};
const SECONDS = arg('seconds', 20);
const CONNECTIONS = arg('connections', 200);
const LATENCY_MS = arg('latency', 50);
const DIRECT_SECONDS = Math.max(5, Math.round(SECONDS / 2));
const UPSTREAM_TIMEOUT_MS = arg('upstream-timeout-ms', 15_000);
const OUTAGE_CONNECTIONS = 50;

const HERE = dirname(fileURLToPath(import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

/** Least-squares slope of y over x. */
function slope(points: { x: number; y: number }[]) {
  const n = points.length;
  const mx = points.reduce((a, p) => a + p.x, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  const num = points.reduce((a, p) => a + (p.x - mx) * (p.y - my), 0);
  const den = points.reduce((a, p) => a + (p.x - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

async function main() {
  let standIn = await startStandIn(LATENCY_MS);
  const upstreamBase = `http://127.0.0.1:${standIn.port}`;
  const app = await buildServer(
    loadConfig({
      KATAPULT_API_URL: `${upstreamBase}/core/v1`,
      KATAPULT_API_TOKEN: 'load-test-token',
      LOG_LEVEL: 'silent',
      UPSTREAM_TIMEOUT_MS: String(UPSTREAM_TIMEOUT_MS),
    }),
    { distDir: null, logger: false },
  );
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const panelBase = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const proxied = `${panelBase}/api${LOOKUP_PATH}`;

  try {
    console.log(`direct: ${CONNECTIONS} connections for ${DIRECT_SECONDS} s to the stand-in (${LATENCY_MS} ms latency)…`);
    const direct = await cannon(`${upstreamBase}/core/v1${LOOKUP_PATH}`, CONNECTIONS, DIRECT_SECONDS);

    console.log(`proxy: ${CONNECTIONS} connections for ${SECONDS} s through the panel’s server…`);
    const started = Date.now();
    const sample = () => {
      const m = process.memoryUsage();
      return { second: Math.round((Date.now() - started) / 1000), mb: mb(m.rss), heapMb: mb(m.heapUsed) };
    };
    const rss = [sample()];
    const sampler = setInterval(() => rss.push(sample()), 1000);
    const proxy = await cannon(proxied, CONNECTIONS, SECONDS);
    clearInterval(sampler);
    // Garbage or kept? A full collection right after the load (npm run load passes --expose-gc).
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    const afterGc = gc ? { mb: mb(process.memoryUsage().rss), heapMb: mb(process.memoryUsage().heapUsed) } : null;
    const steady = rss.filter((s) => s.second >= 5 && s.second <= SECONDS);
    const rssAt = (second: number) => rss.find((s) => s.second >= second)?.mb ?? rss.at(-1)?.mb ?? 0;
    const memory = {
      samples: rss,
      at5sMb: rssAt(5),
      atEndMb: rssAt(SECONDS),
      ratioEndTo5s: Math.round((rssAt(SECONDS) / rssAt(5)) * 1000) / 1000,
      slopeMbPerS: Math.round(slope(steady.map((s) => ({ x: s.second, y: s.mb }))) * 1000) / 1000,
      minMb: Math.min(...steady.map((s) => s.mb)),
      maxMb: Math.max(...steady.map((s) => s.mb)),
      /** RSS and JS heap right after the load, after a full GC: what the server really keeps. */
      afterGc,
    };

    console.log(`outage: ${OUTAGE_CONNECTIONS} connections for 9 s; the stand-in is killed at 3 s and back at 6 s…`);
    const outageRun = cannon(proxied, OUTAGE_CONNECTIONS, 9);
    await sleep(3000);
    await stopStandIn(standIn);
    const downAt = Date.now();
    await sleep(300);
    const down = await fetch(proxied);
    const downBody = (await down.json()) as unknown;
    await sleep(2700);
    standIn = await startStandIn(LATENCY_MS, standIn.port);
    const backAt = Date.now();
    let recoveredMs: number | undefined;
    while (Date.now() - backAt < 10_000) {
      const r = await fetch(proxied);
      await r.arrayBuffer();
      if (r.status === 200) {
        recoveredMs = Date.now() - backAt;
        break;
      }
      await sleep(50);
    }
    const outage = await outageRun;
    const after = await cannon(proxied, OUTAGE_CONNECTIONS, 2);

    const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 100) / 100 : null);
    const results = {
      at: new Date().toISOString(),
      node: process.version,
      settings: {
        connections: CONNECTIONS,
        seconds: SECONDS,
        directSeconds: DIRECT_SECONDS,
        upstreamLatencyMs: LATENCY_MS,
        upstreamTimeoutMs: UPSTREAM_TIMEOUT_MS,
      },
      direct,
      proxy,
      addedLatencyMs: { p50: proxy.p50 - direct.p50, p99: proxy.p99 - direct.p99 },
      latencyRatio: { p50: ratio(proxy.p50, direct.p50), p99: ratio(proxy.p99, direct.p99) },
      memory,
      outage: {
        statusCodes: outage.statusCodes,
        errors: outage.errors,
        timeouts: outage.timeouts,
        downForMs: backAt - downAt,
        sample502: { status: down.status, body: downBody },
        recoveredWithinMsOfReturn: recoveredMs ?? null,
        afterReturn2s: { requests: after.requests, statusCodes: after.statusCodes, errors: after.errors, timeouts: after.timeouts },
      },
      verdict: {
        zeroErrors: proxy.errors === 0 && proxy.timeouts === 0,
        zeroDropped: proxy.non2xx === 0 && proxy.requests > 0,
        rssFlat: memory.ratioEndTo5s <= 1.1,
        outageOnly502s: Object.keys(outage.statusCodes).every((c) => c === '200' || c === '502') && outage.errors === 0,
        recovered: recoveredMs !== undefined && after.non2xx === 0 && after.errors === 0,
      },
    };

    const row = (name: string, c: CannonResult) => ({
      run: name,
      requests: c.requests,
      'req/s': Math.round(c.rps),
      'p50 ms': c.p50,
      'p99 ms': c.p99,
      errors: c.errors,
      timeouts: c.timeouts,
      non2xx: c.non2xx,
    });
    console.table([row(`direct ×${CONNECTIONS}`, direct), row(`proxy ×${CONNECTIONS}`, proxy)]);
    console.table([
      { measure: 'proxy added latency p50 (ms)', value: results.addedLatencyMs.p50 },
      { measure: 'proxy added latency p99 (ms)', value: results.addedLatencyMs.p99 },
      { measure: 'latency ratio proxy/direct p50', value: results.latencyRatio.p50 },
      { measure: 'latency ratio proxy/direct p99', value: results.latencyRatio.p99 },
      { measure: 'RSS at 5 s (MB)', value: memory.at5sMb },
      { measure: `RSS at ${SECONDS} s (MB)`, value: memory.atEndMb },
      { measure: `RSS ratio ${SECONDS} s / 5 s`, value: memory.ratioEndTo5s },
      { measure: `RSS slope 5–${SECONDS} s (MB/s)`, value: memory.slopeMbPerS },
      { measure: 'JS heap at 5 s / at the end (MB)', value: `${memory.samples.find((x) => x.second >= 5)?.heapMb ?? '?'} / ${memory.samples.at(-1)?.heapMb ?? '?'}` },
      { measure: 'RSS / JS heap after a full GC (MB)', value: memory.afterGc ? `${memory.afterGc.mb} / ${memory.afterGc.heapMb}` : 'run with --expose-gc' },
      { measure: 'outage: status codes', value: JSON.stringify(outage.statusCodes) },
      { measure: 'outage: errors / timeouts', value: `${outage.errors} / ${outage.timeouts}` },
      { measure: 'outage: a 502 body', value: JSON.stringify(downBody) },
      { measure: 'recovered (ms after return)', value: recoveredMs ?? 'no' },
      { measure: 'after return, 2 s: status codes', value: JSON.stringify(after.statusCodes) },
    ]);
    console.table(results.verdict);
    writeFileSync(join(HERE, 'load-results.json'), `${JSON.stringify(results, null, 2)}\n`);
    console.log('written: bench/load-results.json');
    if (!Object.values(results.verdict).every(Boolean)) process.exitCode = 1;
  } finally {
    await app.close();
    await stopStandIn(standIn);
  }
}

await main();
