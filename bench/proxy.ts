/**
 * The server part: the proxy's added latency. autocannon (in its own process) calls a stand-in
 * upstream directly, then through the panel's proxy, at 50 and 200 connections, 127.0.0.1 only.
 * The stand-in (its own process) answers a lookup JSON after a fixed delay.
 */
import { buildServer } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { cannon, LOOKUP_PATH, startStandIn, stopStandIn, type CannonResult } from './standin.ts';

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
  rows: ProxyRow[];
}

export async function measureProxy(log: (s: string) => void, secondsEach = 5, upstreamDelayMs = 50): Promise<ProxyFigures> {
  const standin = await startStandIn(upstreamDelayMs);
  const app = await buildServer(
    loadConfig({ KATAPULT_API_URL: `${standin.url}/core/v1`, KATAPULT_API_TOKEN: 'bench', LOG_LEVEL: 'silent' }),
    { logger: false, distDir: null },
  );
  try {
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    const proxyUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/api${LOOKUP_PATH}`;
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
      log(`  proxy: ${connections} connections done (${PAIRS} pairs)`);
    }
    return { upstreamDelayMs, secondsEach, pairs: PAIRS, rows };
  } finally {
    await app.close();
    await stopStandIn(standin);
  }
}
