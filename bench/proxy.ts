/**
 * The server part: the proxy's added latency. autocannon (in its own process) calls a stand-in
 * upstream directly, then through the panel's proxy, at 50 and 200 connections, 127.0.0.1 only.
 * The stand-in (its own process) answers a lookup JSON after a fixed delay.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { buildServer } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';

const STANDIN = `
const http = require('node:http');
const delay = Number(process.env.DELAY_MS);
const body = JSON.stringify({ network_interface: { id: 'vmnet_olNAz8ThH0emHvdr', name: 'eth0', mac_address: '02:00:ac:1f:4e:01', state: 'attached',
  virtual_machine: { id: 'vm_t8yomYsG4bccKw5D', name: 'web-01' }, network: { id: 'netw_zDW7KYAeqqfRfVag', name: 'Public Network (London)' },
  ip_addresses: [{ id: 'ip_1', address: '185.199.108.42' }, { id: 'ip_2', address: '2a03:2800:10:1::42' }] } });
const server = http.createServer((req, res) => {
  req.resume();
  const send = () => { res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }); res.end(body); };
  if (delay > 0) setTimeout(send, delay); else send();
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));
`;

const LOOKUP_PATH =
  '/virtual_machines/virtual_machine/networks/network/interface?virtual_machine%5Bid%5D=vm_t8yomYsG4bccKw5D&network%5Bid%5D=netw_zDW7KYAeqqfRfVag';

export interface CannonResult {
  p50: number;
  p99: number;
  mean: number;
  requests: number;
  errors: number;
  timeouts: number;
  non2xx: number;
}

const autocannonBin = join(dirname(createRequire(import.meta.url).resolve('autocannon/package.json')), 'autocannon.js');

function cannon(url: string, connections: number, seconds: number): Promise<CannonResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [autocannonBin, '-c', String(connections), '-d', String(seconds), '-j', url], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`autocannon exited ${code}: ${err}`));
      const j = JSON.parse(out) as {
        latency: { p50: number; p99: number; mean: number };
        requests: { total: number };
        errors: number;
        timeouts: number;
        non2xx: number;
      };
      resolve({
        p50: j.latency.p50,
        p99: j.latency.p99,
        mean: j.latency.mean,
        requests: j.requests.total,
        errors: j.errors,
        timeouts: j.timeouts,
        non2xx: j.non2xx,
      });
    });
  });
}

function startStandin(delayMs: number): Promise<{ url: string; stop: () => void }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', STANDIN], { env: { ...process.env, DELAY_MS: String(delayMs) }, stdio: ['ignore', 'pipe', 'inherit'] });
    child.on('error', reject);
    child.stdout.once('data', (d: Buffer) => resolve({ url: `http://127.0.0.1:${d.toString().trim()}`, stop: () => child.kill() }));
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
  rows: ProxyRow[];
}

export async function measureProxy(log: (s: string) => void, secondsEach = 5, upstreamDelayMs = 50): Promise<ProxyFigures> {
  const standin = await startStandin(upstreamDelayMs);
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
    standin.stop();
  }
}
