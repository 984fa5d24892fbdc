/**
 * Issue 28: a change that cannot dodge the lock or the audit, a server that reaps stalled clients,
 * no token echoed, and every answer decided from the routed path. Each describe block is one finding
 * of the issue (the audit's names, 4, and its filters, 8, are in audit.test.ts, on both databases;
 * the CSV, 5, in audit/store.test.ts; the concurrent query-string variant of 1 in change-lock.test.ts).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ALLOWED } from './allowlist.ts';
import { buildServer } from './app.ts';
import { openAuditStore } from './audit/store.ts';
import { loadConfig } from './config.ts';
import { freshDatabaseEnv, freshSqlitePath } from './testing/databases.ts';
import { spawnServer } from './testing/spawn-server.ts';
import { recordingUpstream } from './test-support.ts';
import type { Upstream } from './upstream.ts';

const TOKEN = 'issue28-token-0123456789abcdef';
const CHANGE_URL = '/api/virtual_machine_network_interfaces/virtual_machine_network_interface/update_speed_profile';
const NIC = 'vmnet_olNAz8ThH0emHvdr';
const CHANGE = { virtual_machine_network_interface: { id: NIC }, speed_profile: { permalink: '1gbps' } };
const PANEL = { 'x-katapult-panel': '1', 'content-type': 'application/json' };
const live = (env: Record<string, string> = {}) =>
  loadConfig({ KATAPULT_API_URL: 'https://api.example.test/core/v1', KATAPULT_API_TOKEN: TOKEN, ...env });

const open: { close: () => Promise<unknown> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((a) => a.close()));
});

async function server(upstream: Upstream, env: Record<string, string> = {}, distDir: string | null = null) {
  const config = live({ ...(await freshDatabaseEnv('sqlite')), ...env });
  const store = await openAuditStore(config.audit);
  const app = await buildServer(config, { upstream, logger: false, distDir, audit: store });
  open.push(app);
  return { app, store, recorded: async () => (await store.list({}, { limit: 100 })).entries };
}

/** A raw HTTP exchange: what the server wrote before it closed the connection. */
async function raw(port: number, request: string | Buffer): Promise<{ head: string; body: string }> {
  const socket = connect(port, '127.0.0.1');
  let got = '';
  socket.on('data', (d) => (got += d.toString()));
  const closed = once(socket, 'close');
  socket.write(request);
  await closed;
  const [head = '', body = ''] = got.split('\r\n\r\n');
  return { head, body };
}

describe('1. the change names its interface and profile in its body, and nothing else reaches Katapult', () => {
  it('refuses a body that names no interface, no profile, an empty one, or both an id and a permalink: 400 invalid_request_body, recorded and forwarded nowhere', async () => {
    const { calls, upstream } = recordingUpstream(() => Response.json({ task: { id: 'task_x' } }));
    const { app, recorded } = await server(upstream);
    const bad = [
      { virtual_machine_network_interface: {}, speed_profile: {} },
      { virtual_machine_network_interface: { id: '' }, speed_profile: { permalink: '1gbps' } },
      { virtual_machine_network_interface: { id: NIC }, speed_profile: {} },
      { virtual_machine_network_interface: { id: NIC }, speed_profile: { permalink: '' } },
      { virtual_machine_network_interface: { id: NIC }, speed_profile: { id: 'nsp_1', permalink: '1gbps' } },
      { virtual_machine_network_interface: { id: 'vmnet_\u0000x' }, speed_profile: { permalink: '1gbps' } },
    ];
    for (const payload of bad) {
      const res = await app.inject({ method: 'PATCH', url: CHANGE_URL, payload, headers: PANEL });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json()).toMatchObject({ error: { code: 'invalid_request_body' } });
    }
    expect(calls).toHaveLength(0);
    expect(await recorded()).toEqual([]);
  });

  it('refuses a change with any query string, the one that names the interface and profile too: 400 query_parameter_not_allowed, recorded and forwarded nowhere', async () => {
    const { calls, upstream } = recordingUpstream(() => Response.json({ task: { id: 'task_x' } }));
    const { app, recorded } = await server(upstream);
    const sneaky = '?virtual_machine_network_interface%5Bid%5D=vmnet_olNAz8ThH0emHvdr&speed_profile%5Bpermalink%5D=10gbps';
    for (const [query, payload] of [
      [sneaky, { virtual_machine_network_interface: {}, speed_profile: {} }],
      [sneaky, CHANGE],
      ['?speed_profile%5Bpermalink%5D=10gbps', CHANGE],
      ['?&', CHANGE],
    ] as const) {
      const res = await app.inject({ method: 'PATCH', url: CHANGE_URL + query, payload, headers: PANEL });
      expect(res.statusCode, query).toBe(400);
      expect(res.json(), query).toMatchObject({ error: { code: 'query_parameter_not_allowed', detail: { allowed: [] } } });
    }
    expect(calls).toHaveLength(0);
    expect(await recorded()).toEqual([]);
    // The same change without the query goes, with no query string at all.
    expect((await app.inject({ method: 'PATCH', url: CHANGE_URL, payload: CHANGE, headers: PANEL })).statusCode).toBe(200);
    const patch = calls.find((c) => c.method === 'PATCH')!;
    expect(new URL(patch.url).search).toBe('');
    expect((await recorded()).map((e) => e.interface_id)).toEqual([NIC]);
  });

  it('forwards a read with only the parameters its spec names, each once, encoded again; anything else is 400 query_parameter_not_allowed', async () => {
    const { calls, upstream } = recordingUpstream(() => Response.json({ task: { id: 'task_x' } }));
    const { app } = await server(upstream);
    for (const query of [
      '?task%5Bid%5D=task_1&x=1',
      '?task%5Bid%5D=task_1&task%5Bid%5D=task_2',
      '?task[id]=task_1&task[id][x]=2',
      '?task%5Bid%5D=task_1&virtual_machine_network_interface%5Bid%5D=vmnet_x',
      '?=task_1',
    ]) {
      const res = await app.inject({ url: `/api/tasks/task${query}` });
      expect(res.statusCode, query).toBe(400);
      expect(res.json(), query).toMatchObject({ error: { code: 'query_parameter_not_allowed', detail: { allowed: ['task[id]'] } } });
    }
    expect(calls).toHaveLength(0);
    // A `;` stays inside the value: Katapult cannot split it into a second parameter.
    expect((await app.inject({ url: '/api/tasks/task?task[id]=task_1;speed_profile[id]=x' })).statusCode).toBe(200);
    expect(new URL(calls[0]!.url).search).toBe('?task%5Bid%5D=task_1%3Bspeed_profile%5Bid%5D%3Dx');
    const profiles = '/api/organizations/organization/network_speed_profiles?organization%5Bid%5D=org_1&page=2&per_page=100';
    expect((await app.inject({ url: profiles })).statusCode).toBe(200);
    expect(new URL(calls[1]!.url).search).toBe('?organization%5Bid%5D=org_1&page=2&per_page=100');
  });

  it('takes each endpoint’s query parameters from the vendored spec', () => {
    const of = (method: string, path: string) => ALLOWED.find((r) => r.method === method && r.path === path)?.query;
    expect(of('PATCH', '/virtual_machine_network_interfaces/virtual_machine_network_interface/update_speed_profile')).toEqual([]);
    expect(of('GET', '/tasks/task')).toEqual(['task[id]']);
    expect(of('GET', '/virtual_machines/virtual_machine/networks/network/interface')).toEqual([
      'virtual_machine[id]',
      'virtual_machine[fqdn]',
      'network[id]',
      'network[permalink]',
    ]);
  });
});

describe('2. a deadline for the whole request', () => {
  const head = (extra = '') =>
    `PATCH ${CHANGE_URL} HTTP/1.1\r\nHost: localhost\r\nX-Katapult-Panel: 1\r\nContent-Type: application/json\r\nContent-Length: 200\r\n${extra}\r\n`;
  /** Complete headers, and 17 of the 200 bytes of body they announce. */
  const partial = `${head()}{"virtual_machine`;

  it('ends a connection whose body stops arriving with 408 request_timeout after REQUEST_TIMEOUT_MS, forwarding nothing', async () => {
    const { calls, upstream } = recordingUpstream();
    const { app, recorded } = await server(upstream, { REQUEST_TIMEOUT_MS: '300' });
    await app.listen({ host: '127.0.0.1', port: 0 });
    // Without a request deadline, this waits for ever: the close below is the server's doing.
    const { head, body } = await raw((app.server.address() as AddressInfo).port, partial);
    expect(head).toMatch(/^HTTP\/1.1 408 /);
    expect(head.toLowerCase()).toContain("content-security-policy: sandbox; default-src 'none'");
    expect(JSON.parse(body)).toMatchObject({ error: { code: 'request_timeout' } });
    expect(calls).toHaveLength(0);
    expect(await recorded()).toEqual([]);
  });

  it('ends a connection whose request has not fully arrived as soon as the server closes, without waiting for the deadline', async () => {
    const { upstream } = recordingUpstream();
    const { app } = await server(upstream, { REQUEST_TIMEOUT_MS: '300000' });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const socket = connect((app.server.address() as AddressInfo).port, '127.0.0.1');
    const arrived = once(app.server, 'request');
    socket.write(partial);
    await arrived;
    const ended = once(socket, 'close');
    await app.close();
    await ended;
    expect(socket.destroyed).toBe(true);
  });

  it('lets the server process exit 0 on SIGTERM while a client holds a request whose body has not arrived', async () => {
    const child = await spawnServer({
      AUDIT_DB: freshSqlitePath(),
      KATAPULT_API_URL: 'http://127.0.0.1:9/core/v1',
      UPSTREAM_TIMEOUT_MS: '1000',
      REQUEST_TIMEOUT_MS: '300000',
    });
    try {
      const socket = connect(Number(new URL(child.url).port), '127.0.0.1');
      // Node answers 100 Continue once it has read the headers and handed the request on: the request is in.
      const continued = new Promise<void>((resolve) => socket.on('data', (d) => d.toString().includes('100 Continue') && resolve()));
      socket.write(head('Expect: 100-continue\r\n'));
      await continued;
      socket.write('{"virtual_machine');
      const exited = once(child.child, 'exit');
      child.child.kill('SIGTERM');
      // Without the close ending that connection, the process waits for its backstop and exits 1.
      expect((await exited)[0]).toBe(0);
      socket.destroy();
    } finally {
      await child.kill('SIGKILL');
    }
  }, 60_000);

  it('reads REQUEST_TIMEOUT_MS, 10 s by default', () => {
    expect(live().requestTimeoutMs).toBe(10_000);
    expect(live({ REQUEST_TIMEOUT_MS: '2500' }).requestTimeoutMs).toBe(2500);
    expect(() => live({ REQUEST_TIMEOUT_MS: '0' })).toThrow(/REQUEST_TIMEOUT_MS/);
  });
});

describe('3. the token never reaches the browser', () => {
  const escaped = [...TOKEN].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');

  it('scrubs the token from a JSON answer that spells it with \\u escapes, in values and in keys', async () => {
    const body = `{"error":{"code":"invalid_api_token","description":"bad ${escaped}","detail":{"${escaped}":1}}}`;
    const { upstream } = recordingUpstream(() => new Response(body, { status: 401, headers: { 'content-type': 'application/json' } }));
    const app = await buildServer(live(), { upstream, logger: false, distDir: null });
    open.push(app);
    const res = await app.inject({ url: '/api/tasks/task?task%5Bid%5D=task_1' });
    expect(res.statusCode).toBe(401);
    expect(JSON.stringify(res.json())).not.toContain(TOKEN);
    expect(res.json()).toEqual({ error: { code: 'invalid_api_token', description: 'bad [redacted]', detail: { '[redacted]': 1 } } });
  });

  it('relays Retry-After only as delta-seconds or an HTTP date, never a value that echoes the token', async () => {
    let retryAfter = '';
    const { upstream } = recordingUpstream(() =>
      Response.json({ error: { code: 'rate_limit_reached' } }, { status: 429, headers: { 'retry-after': retryAfter } }),
    );
    const app = await buildServer(live(), { upstream, logger: false, distDir: null });
    open.push(app);
    const relayed = async (value: string) => {
      retryAfter = value;
      return (await app.inject({ url: '/api/tasks/task?task%5Bid%5D=task_1' })).headers['retry-after'];
    };
    expect(await relayed('120')).toBe('120');
    expect(await relayed('Wed, 21 Oct 2026 07:28:00 GMT')).toBe('Wed, 21 Oct 2026 07:28:00 GMT');
    expect(await relayed(TOKEN)).toBeUndefined();
    expect(await relayed(`Bearer ${TOKEN}`)).toBeUndefined();
    expect(await relayed('soon')).toBeUndefined();
    expect(await relayed('Wed, 99 Oct 2026 07:28:00 GMT')).toBeUndefined();
  });
});

describe('6. an API path is decided from the routed path, not the raw URL', () => {
  const dist = mkdtempSync(join(tmpdir(), 'panel-issue28-'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Panel</title>');
  afterAll(() => rmSync(dist, { recursive: true, force: true }));

  it('gives /%61pi/<allowlisted path> the API’s headers, and /%61pi/<unknown> the API’s JSON 404, not the SPA page', async () => {
    const { upstream } = recordingUpstream(() => Response.json({ task: { id: 'task_1' } }));
    const { app } = await server(upstream, {}, dist);
    const routed = await app.inject({ url: '/%61pi/tasks/task?task%5Bid%5D=task_1', headers: { accept: 'text/html' } });
    expect(routed.statusCode).toBe(200);
    expect(routed.headers['content-security-policy']).toBe("sandbox; default-src 'none'");
    expect(routed.headers['cache-control']).toBe('no-store');
    const unknown = await app.inject({ url: '/%61pi/nope', headers: { accept: 'text/html' } });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['content-type']).toMatch(/^application\/json/);
    expect(unknown.headers['content-security-policy']).toBe("sandbox; default-src 'none'");
    expect(unknown.json()).toMatchObject({ error: { code: 'route_not_found' } });
    const audit = await app.inject({ url: '/%61pi/panel/audit' });
    expect(audit.headers['content-security-policy']).toBe("sandbox; default-src 'none'");
    // A deep link of the SPA is still the page.
    const page = await app.inject({ url: '/elsewhere', headers: { accept: 'text/html' } });
    expect(page.headers['content-type']).toMatch(/^text\/html/);
  });
});

describe('7. a request without Host', () => {
  it('answers an HTTP/1.1 request without Host from the host guard: 421 with the envelope and the security headers', async () => {
    const app = await buildServer(live(), { logger: false, distDir: null });
    open.push(app);
    await app.listen({ host: '127.0.0.1', port: 0 });
    const port = (app.server.address() as AddressInfo).port;
    for (const version of ['1.1', '1.0']) {
      const { head, body } = await raw(port, `GET /healthz HTTP/${version}\r\nConnection: close\r\n\r\n`);
      expect(head, version).toMatch(/^HTTP\/1.1 421 /);
      expect(head.toLowerCase()).toContain('x-content-type-options: nosniff');
      expect(head.toLowerCase()).toContain('cache-control: no-store');
      expect(JSON.parse(body)).toMatchObject({ error: { code: 'host_not_allowed' } });
    }
  });
});
