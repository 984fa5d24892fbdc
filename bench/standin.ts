/**
 * What the two server measurements share (`npm run bench`'s proxy part, bench/proxy.ts, and
 * `npm run load`, bench/load.ts): a stand-in Katapult answering a lookup after a fixed delay, and
 * autocannon, each in its own process so that neither's work counts against the panel's server.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The lookup both measurements drive, as the panel sends it (query already encoded). */
export const LOOKUP_PATH =
  '/virtual_machines/virtual_machine/networks/network/interface?virtual_machine%5Bid%5D=vm_t8yomYsG4bccKw5D&network%5Bid%5D=netw_zDW7KYAeqqfRfVag';

const STANDIN = `
const http = require('node:http');
const delay = Number(process.env.DELAY_MS);
const body = JSON.stringify({ virtual_machine_network_interface: { id: 'vmnet_olNAz8ThH0emHvdr', name: 'eth0',
  mac_address: '02:00:ac:1f:4e:01', state: 'attached', virtual_machine: { id: 'vm_t8yomYsG4bccKw5D', name: 'web-01' },
  network: { id: 'netw_zDW7KYAeqqfRfVag', name: 'Public Network (London)' },
  ip_addresses: [{ id: 'ip_1', address: '185.199.108.42' }, { id: 'ip_2', address: '2a03:2800:10:1::42' }] } });
const server = http.createServer((req, res) => {
  req.resume();
  const send = () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };
  if (delay > 0) setTimeout(send, delay); else send();
});
server.keepAliveTimeout = 60000;
server.listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));
`;

export interface StandIn {
  port: number;
  /** http://127.0.0.1:port */
  url: string;
  child: ChildProcess;
}

/** Starts the stand-in answering after `delayMs`, on `port` (0: any free port). */
export function startStandIn(delayMs: number, port = 0): Promise<StandIn> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', STANDIN], {
      env: { ...process.env, DELAY_MS: String(delayMs), PORT: String(port) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`stand-in exited with ${code}`)));
    child.stdout?.once('data', (d: Buffer) => {
      const p = Number(d.toString().trim());
      resolve({ port: p, url: `http://127.0.0.1:${p}`, child });
    });
  });
}

/** Kills the stand-in at once, as a crashed upstream would go. */
export function stopStandIn(s: StandIn): Promise<void> {
  return new Promise((resolve) => {
    if (s.child.exitCode !== null) return resolve();
    s.child.removeAllListeners('exit');
    s.child.once('exit', () => resolve());
    s.child.kill('SIGKILL');
  });
}

export interface CannonResult {
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  mean: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodes: Record<string, number>;
}

const autocannonBin = join(dirname(createRequire(import.meta.url).resolve('autocannon/package.json')), 'autocannon.js');

/** autocannon in its own process (so this process's CPU and RSS are the panel server's), JSON out. */
export function cannon(url: string, connections: number, seconds: number): Promise<CannonResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [autocannonBin, '-c', String(connections), '-d', String(seconds), '-t', '10', '-j', url],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      try {
        const j = JSON.parse(out) as {
          requests: { total: number; average: number };
          latency: { p50: number; p99: number; mean: number };
          errors: number;
          timeouts: number;
          non2xx: number;
          statusCodeStats?: Record<string, { count: number }>;
        };
        resolve({
          requests: j.requests.total,
          rps: j.requests.average,
          p50: j.latency.p50,
          p99: j.latency.p99,
          mean: j.latency.mean,
          errors: j.errors,
          timeouts: j.timeouts,
          non2xx: j.non2xx,
          statusCodes: Object.fromEntries(Object.entries(j.statusCodeStats ?? {}).map(([k, v]) => [k, v.count])),
        });
      } catch {
        reject(new Error(`autocannon exited with ${code}: ${err.slice(-500)}`));
      }
    });
  });
}
