/**
 * Issue 16: the server under hostile upstreams and hosts. Each describe block is one defect of the
 * issue; the upstream is a real node:http stand-in on 127.0.0.1 and the panel's server listens for
 * real where a socket matters. Speed is never asserted: only what is answered.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, createServer, get as httpGet, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from './app.ts';
import { loadConfig } from './config.ts';

const TOKEN = 'hardening-token-0123456789abcdef';
const LOOKUP =
  '/api/virtual_machines/virtual_machine/networks/network/interface?virtual_machine%5Bid%5D=vm_t8yomYsG4bccKw5D&network%5Bid%5D=netw_zDW7KYAeqqfRfVag';
const UPDATE_URL = '/api/virtual_machine_network_interfaces/virtual_machine_network_interface/update_speed_profile';
const CHANGE = { virtual_machine_network_interface: { id: 'vmnet_olNAz8ThH0emHvdr' }, speed_profile: { permalink: '1gbps' } };
const PANEL = { 'x-katapult-panel': '1' };

type Behaviour = (req: IncomingMessage, res: ServerResponse, body: string) => void;
const json = (status: number, value: unknown): Behaviour => (_req, res) => {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
};

/**
 * A stand-in Katapult: the probe of `/core/v1/` is answered 404 at once; other paths by `behaviour`.
 * Each panel gets its own path prefix, and only the running test's panels are recorded and answered:
 * a call an earlier test's panel sent within its deadline can reach the stand-in after that test has
 * ended, and must not be taken for this test's call.
 */
const answerNic = json(200, { virtual_machine_network_interface: { id: 'vmnet_olNAz8ThH0emHvdr' } });
const standIn = {
  behaviour: answerNic as Behaviour,
  seen: [] as { method: string | undefined; url: string | undefined; headers: IncomingMessage['headers']; body: string }[],
  closed: [] as string[],
  /** The prefixes of the running test's panels. */
  panels: new Set<string>(),
  /** How many panels the file has started; numbers the prefixes. */
  started: 0,
  server: undefined as Server | undefined,
  origin: '',
};

beforeAll(async () => {
  standIn.server = createServer((req, res) => {
    const [, prefix = '', url = ''] = /^\/(p\d+)(\/.*)$/.exec(req.url ?? '') ?? [];
    if (!standIn.panels.has(prefix)) return void res.destroy();
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (url === '/core/v1/') return json(404, { error: { code: 'route_not_found' } })(req, res, body);
      standIn.seen.push({ method: req.method, url, headers: req.headers, body });
      res.once('close', () => standIn.closed.push(url));
      standIn.behaviour(req, res, body);
    });
  });
  await new Promise<void>((r) => standIn.server?.listen(0, '127.0.0.1', r));
  standIn.origin = `http://127.0.0.1:${(standIn.server.address() as AddressInfo).port}`;
});
afterEach(() => {
  standIn.behaviour = answerNic;
  standIn.seen.length = 0;
  standIn.closed.length = 0;
  standIn.panels.clear();
});
afterAll(async () => {
  standIn.server?.closeAllConnections();
  await new Promise((r) => standIn.server?.close(r));
});

const open: { close: () => Promise<unknown> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((a) => a.close()));
});

async function panel(env: Record<string, string> = {}) {
  const prefix = `p${++standIn.started}`;
  standIn.panels.add(prefix);
  const base = `${standIn.origin}/${prefix}/core/v1`;
  const app = await buildServer(loadConfig({ KATAPULT_API_URL: base, KATAPULT_API_TOKEN: TOKEN, ...env }), {
    distDir: null,
    logger: false,
  });
  open.push(app);
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` };
}

const until = async (predicate: () => boolean) => {
  while (!predicate()) await new Promise((r) => setTimeout(r, 10));
};

describe('1. one deadline per call, and a bounded queue', () => {
  it('answers 504 upstream_timeout when an upstream drips its body a byte at a time past the deadline', async () => {
    standIn.behaviour = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      let sent = 0;
      const drip = setInterval(() => {
        if (res.destroyed || sent++ >= 40) {
          clearInterval(drip);
          if (!res.destroyed) res.end('{}');
          return;
        }
        res.write(' ');
      }, 100);
    };
    const { url } = await panel({ UPSTREAM_TIMEOUT_MS: '600' });
    const res = await fetch(url + LOOKUP);
    expect(res.status).toBe(504);
    expect(await res.json()).toEqual({
      error: { code: 'upstream_timeout', description: 'Katapult did not answer within 0.6 s.', detail: { timeout_seconds: 0.6 } },
    });
  });

  it('answers 503 upstream_busy at once when the wait queue is full, and /readyz reports the saturation', async () => {
    const held: ServerResponse[] = [];
    standIn.behaviour = (_req, res) => void held.push(res);
    const { url } = await panel({ UPSTREAM_CONNECTIONS: '1', UPSTREAM_QUEUE_LIMIT: '1', UPSTREAM_TIMEOUT_MS: '60000' });
    const first = fetch(url + LOOKUP);
    await until(() => held.length === 1);
    const queued = fetch(url + LOOKUP);
    // Readiness is asked until it sees the second call waiting (the queue's state, not a timer).
    let ready = await fetch(`${url}/readyz`);
    while (((await ready.clone().json()) as { queue: { queued: number } }).queue.queued < 1) ready = await fetch(`${url}/readyz`);
    const busy = await fetch(url + LOOKUP);
    expect(busy.status).toBe(503);
    expect(busy.headers.get('retry-after')).toBe('1');
    expect(await busy.json()).toMatchObject({ error: { code: 'upstream_busy' } });
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({
      status: 'not_ready',
      reason: 'The queue of calls to Katapult is full.',
      queue: { in_flight: 1, queued: 1, saturated: true },
    });
    for (const res of held.splice(0)) json(200, { ok: 1 })(undefined as never, res, '');
    await until(() => held.length === 1);
    for (const res of held.splice(0)) json(200, { ok: 2 })(undefined as never, res, '');
    expect([(await first).status, (await queued).status]).toEqual([200, 200]);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
  });

  it('answers a call still waiting for a connection 504 at its deadline, and leaves no call open at Katapult', async () => {
    const held: ServerResponse[] = [];
    standIn.behaviour = (_req, res) => void held.push(res);
    const { url } = await panel({ UPSTREAM_CONNECTIONS: '1', UPSTREAM_TIMEOUT_MS: '400' });
    const first = fetch(url + LOOKUP);
    await until(() => held.length === 1);
    const waiting = await fetch(url + LOOKUP);
    expect(waiting.status).toBe(504);
    expect(await waiting.json()).toMatchObject({ error: { code: 'upstream_timeout' } });
    expect((await first).status).toBe(504);
    // The first call's end frees the one connection; the waiting call may use what is left of its own
    // deadline, but every call the panel made was ended by it, none left holding a connection.
    await until(() => standIn.closed.length === standIn.seen.length);
    expect(standIn.seen.length).toBeLessThanOrEqual(2);
  });
});

describe('a server that is closing', () => {
  it('ends the keep-alive connection of an answer still in flight, so closing does not wait for its idle timeout', async () => {
    const held: ServerResponse[] = [];
    standIn.behaviour = (_req, res) => void held.push(res);
    const { app, url } = await panel();
    const agent = new Agent({ keepAlive: true });
    const answer = new Promise<IncomingMessage>((resolve, reject) =>
      httpGet(url + LOOKUP, { agent }, resolve).on('error', reject),
    );
    await until(() => held.length === 1);
    const closed = app.close();
    for (const res of held.splice(0)) json(200, { ok: 1 })(undefined as never, res, '');
    const res = await answer;
    res.resume();
    expect(res.statusCode).toBe(200);
    expect(res.headers.connection).toBe('close');
    // Fastify's keep-alive timeout is longer than the test's own: without the close above, this waits for it.
    await closed;
    agent.destroy();
  });

  it('ends a connection that never carried a request, so a browser’s spare connection does not hold the close', async () => {
    const { app, url } = await panel();
    const spare = connect(Number(new URL(url).port), '127.0.0.1');
    await once(spare, 'connect');
    // Node counts a connection without a request as busy, so without the plugin this waits for the client.
    const ended = once(spare, 'close');
    await app.close();
    await ended;
    expect(spare.destroyed).toBe(true);
  });
});

describe('2. DNS rebinding', () => {
  it('refuses a request naming another host with 421 before anything else, so a rebound PATCH never leaves with the token', async () => {
    const { app } = await panel();
    const res = await app.inject({
      method: 'PATCH',
      url: UPDATE_URL,
      payload: CHANGE,
      headers: { ...PANEL, host: 'attacker.example:3000', origin: 'http://attacker.example:3000' },
    });
    expect(res.statusCode).toBe(421);
    expect(res.json()).toMatchObject({ error: { code: 'host_not_allowed' } });
    expect(res.body).not.toContain('attacker');
    expect(res.headers['content-security-policy']).toBeDefined();
    expect((await app.inject({ url: LOOKUP, headers: { host: 'attacker.example' } })).statusCode).toBe(421);
    expect(standIn.seen).toHaveLength(0);
  });

  it('answers the listen address, localhost, 127.0.0.1, ::1 and PUBLIC_URL’s host by default, and ALLOWED_HOSTS when set', async () => {
    const { app } = await panel({ PUBLIC_URL: 'https://panel.corp.example' });
    for (const host of ['localhost:3000', '127.0.0.1', '[::1]:8080', 'panel.corp.example', 'PANEL.corp.example:443']) {
      expect((await app.inject({ url: '/healthz', headers: { host } })).statusCode, host).toBe(200);
    }
    const only = await panel({ ALLOWED_HOSTS: 'panel.internal:8443' });
    expect((await only.app.inject({ url: '/healthz', headers: { host: 'panel.internal:8443' } })).statusCode).toBe(200);
    expect((await only.app.inject({ url: '/healthz', headers: { host: 'panel.internal:9000' } })).statusCode).toBe(421);
    expect((await only.app.inject({ url: '/healthz', headers: { host: 'localhost' } })).statusCode).toBe(421);
  });

  it('compares a PATCH’s Origin with the configured origins, never with the request’s own Host', async () => {
    const { app } = await panel({ ALLOWED_HOSTS: 'panel.internal', PUBLIC_URL: 'https://panel.corp.example' });
    const send = (origin: string) =>
      app.inject({ method: 'PATCH', url: UPDATE_URL, payload: CHANGE, headers: { ...PANEL, host: 'panel.internal', origin } });
    expect((await send('https://panel.corp.example')).statusCode).toBe(200);
    expect((await send('http://panel.internal')).statusCode).toBe(200);
    expect((await send('http://panel.internal.evil.example')).statusCode).toBe(403);
  });
});

describe('3. a cap on the upstream answer’s size', () => {
  it('answers 502 upstream_too_large past UPSTREAM_MAX_BYTES and stops reading an endless answer', async () => {
    standIn.behaviour = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', pump);
      };
      res.write('[');
      pump();
    };
    const { url } = await panel({ UPSTREAM_MAX_BYTES: String(256 * 1024), UPSTREAM_TIMEOUT_MS: '30000' });
    const res = await fetch(url + LOOKUP);
    expect(res.status).toBe(502);
    expect(await res.json()).toEqual({
      error: {
        code: 'upstream_too_large',
        description: 'Katapult’s answer was larger than 262144 bytes; it was not read.',
        detail: { limit_bytes: 262144 },
      },
    });
    await until(() => standIn.closed.length === 1);
  });

  it('refuses an answer whose declared length is over the cap without reading it', async () => {
    standIn.behaviour = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(2 * 1024 * 1024) });
      res.write('{"a":"');
    };
    const { url } = await panel();
    const res = await fetch(url + LOOKUP);
    expect(res.status).toBe(502);
    expect(await res.json()).toMatchObject({ error: { code: 'upstream_too_large', detail: { limit_bytes: 1024 * 1024 } } });
  });
});

describe('5. the PATCH body is validated against the spec’s request schema', () => {
  it('refuses 8,000 nested arrays with 400 invalid_request_body, not a 500 with a stack', async () => {
    const { app } = await panel();
    const nested = '['.repeat(8000) + ']'.repeat(8000);
    const res = await app.inject({
      method: 'PATCH',
      url: UPDATE_URL,
      payload: nested,
      headers: { ...PANEL, 'content-type': 'application/json' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'invalid_request_body' } });
    expect(res.body).not.toMatch(/at .*\.ts|stack|\[\[/);
    expect(standIn.seen).toHaveLength(0);
  });

  it('refuses unknown keys and wrong types, and forwards exactly the validated value', async () => {
    const { app } = await panel();
    const bad = [
      { ...CHANGE, extra: { deep: [[[1]]] } },
      { virtual_machine_network_interface: { id: 1 }, speed_profile: { permalink: '1gbps' } },
      { speed_profile: { id: 'nsp_x' } },
      [CHANGE],
    ];
    for (const payload of bad) {
      const res = await app.inject({ method: 'PATCH', url: UPDATE_URL, payload: payload as object, headers: PANEL });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json()).toMatchObject({ error: { code: 'invalid_request_body', detail: { problems: expect.any(Array) } } });
    }
    expect(standIn.seen).toHaveLength(0);
    standIn.behaviour = json(200, { task: { id: 'task_x' } });
    const ok = await app.inject({ method: 'PATCH', url: UPDATE_URL, payload: CHANGE, headers: PANEL });
    expect(ok.statusCode).toBe(200);
    expect(JSON.parse(standIn.seen[0]?.body ?? '')).toEqual(CHANGE);
    expect(standIn.seen[0]?.headers['content-type']).toBe('application/json');
  });
});

describe('6. /api answers are always JSON', () => {
  it('turns a text/javascript upstream answer into a JSON 502 with its status and a plain-text excerpt', async () => {
    standIn.behaviour = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      res.end('alert(document.cookie)');
    };
    const { app } = await panel();
    const res = await app.inject({ url: LOOKUP });
    expect(res.statusCode).toBe(502);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.json()).toMatchObject({
      error: { code: 'upstream_not_json', detail: { status: 200, content_type: 'text/javascript', excerpt: 'alert(document.cookie)' } },
    });
  });

  it('sends Content-Security-Policy: sandbox; default-src \'none\' on /api answers, relayed or its own', async () => {
    const { app } = await panel();
    for (const url of [LOOKUP, '/api/nope', '/api/_panel/config']) {
      expect((await app.inject({ url })).headers['content-security-policy'], url).toBe("sandbox; default-src 'none'");
    }
  });

  it('scrubs the bearer token from a relayed answer that echoes it, in JSON or not', async () => {
    standIn.behaviour = (req, res) => json(401, { error: { code: 'invalid_api_token', description: `bad ${req.headers.authorization}` } })(req, res, '');
    const { app } = await panel();
    const res = await app.inject({ url: LOOKUP });
    expect(res.statusCode).toBe(401);
    expect(res.body).not.toContain(TOKEN);
    expect(res.json()).toMatchObject({ error: { description: 'bad Bearer [redacted]' } });
    standIn.behaviour = (req, res) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`upstream saw ${req.headers.authorization}`);
    };
    const text = await app.inject({ url: LOOKUP });
    expect(text.body).not.toContain(TOKEN);
    expect(text.json()).toMatchObject({ error: { detail: { status: 500, excerpt: 'upstream saw Bearer [redacted]' } } });
  });
});

describe('7. every answer goes through one error handler', () => {
  const expectHandled = (res: { statusCode: number; headers: Record<string, unknown>; body: string }, status: number, code: string) => {
    expect(res.statusCode).toBe(status);
    expect(String(res.headers['content-type'])).toMatch(/^application\/json/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toBeDefined();
    expect(JSON.parse(res.body)).toMatchObject({ error: { code, description: expect.any(String), detail: {} } });
  };

  it('answers FST_ERR_BAD_URL with the envelope, the security headers and no-store, without echoing the path', async () => {
    const { app } = await panel();
    const res = await app.inject({ url: '/api/%c0%ae%c0%ae/tasks/task' });
    expectHandled(res, 400, 'invalid_request');
    expect(res.body).not.toContain('%c0');
  });

  it('answers 404, 413 and 415 the same way, without echoing input', async () => {
    const { app } = await panel();
    const notFound = await app.inject({ url: '/api/<script>alert(1)</script>' });
    expectHandled(notFound, 404, 'route_not_found');
    expect(notFound.body).not.toMatch(/<script|alert/);
    const big = await app.inject({ method: 'PATCH', url: UPDATE_URL, payload: { pad: 'x'.repeat(20_000) }, headers: PANEL });
    expectHandled(big, 413, 'request_too_large');
    const text = await app.inject({ method: 'PATCH', url: UPDATE_URL, payload: '<b>hi</b>', headers: { ...PANEL, 'content-type': 'text/html' } });
    expectHandled(text, 415, 'unsupported_media_type');
    expect(text.body).not.toContain('text/html');
    const broken = await app.inject({ method: 'PATCH', url: UPDATE_URL, payload: '{"<b>":', headers: { ...PANEL, 'content-type': 'application/json' } });
    expectHandled(broken, 400, 'invalid_request');
    expect(broken.body).not.toContain('<b>');
  });

  it('answers 431 (headers too large) from Node’s parser with the envelope and the headers', async () => {
    const { url } = await panel();
    const { port } = new URL(url);
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1');
      let got = '';
      socket.on('data', (d) => (got += d.toString()));
      socket.on('close', () => resolve(got));
      socket.on('error', reject);
      socket.write(`GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    });
    const [head = '', body = ''] = raw.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1.1 431 /);
    expect(head.toLowerCase()).toContain('cache-control: no-store');
    expect(head.toLowerCase()).toContain('x-content-type-options: nosniff');
    expect(head.toLowerCase()).toContain("content-security-policy: sandbox; default-src 'none'");
    expect(JSON.parse(body)).toMatchObject({ error: { code: 'headers_too_large' } });
  });
});

describe('8. the demo mock’s controls', () => {
  const demo = (env: Record<string, string> = {}) => buildServer(loadConfig(env), { distDir: null, logger: false });

  it('are not mounted unless PANEL_MOCK_CONTROLS=1', async () => {
    const app = await demo();
    const res = await app.inject({ method: 'POST', url: '/__mock/faults', payload: { endpoint: '*', status: 500 }, headers: PANEL });
    expect(res.statusCode).toBe(404);
    await app.close();
  });

  it('even then refuse a foreign Origin and a call without the panel header', async () => {
    const app = await demo({ PANEL_MOCK_CONTROLS: '1' });
    const fault = { endpoint: '*', status: 500 };
    const foreign = await app.inject({ method: 'POST', url: '/__mock/faults', payload: fault, headers: { ...PANEL, origin: 'https://evil.example' } });
    expect(foreign.statusCode).toBe(403);
    const bare = await app.inject({ method: 'POST', url: '/__mock/faults', payload: fault });
    expect(bare.statusCode).toBe(403);
    const own = await app.inject({ method: 'POST', url: '/__mock/faults', payload: fault, headers: { ...PANEL, origin: 'http://localhost:3000' } });
    expect(own.statusCode).toBe(200);
    await app.close();
  });

  it('gives each browser its own demo state: a page load without a session gets one', async () => {
    const dist = mkdtempSync(join(tmpdir(), 'panel-demo-'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Panel</title>');
    try {
      const app = await buildServer(loadConfig({}), { distDir: dist, logger: false });
      const page = await app.inject({ url: '/', headers: { accept: 'text/html' } });
      expect(String(page.headers['set-cookie'])).toMatch(/^katapult-mock-session=[\w-]{20,}; Path=\/; HttpOnly; SameSite=Lax$/);
      const again = await app.inject({ url: '/', headers: { accept: 'text/html', cookie: 'katapult-mock-session=abc' } });
      expect(again.headers['set-cookie']).toBeUndefined();
      await app.close();
    } finally {
      rmSync(dist, { recursive: true, force: true });
    }
  });
});

describe('9. precompressed JavaScript', () => {
  const dist = mkdtempSync(join(tmpdir(), 'panel-compressed-'));
  mkdirSync(join(dist, 'assets'));
  const js = 'export const x = 1;'.repeat(200);
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Panel</title>');
  writeFileSync(join(dist, 'assets', 'index-abc.js'), js);
  writeFileSync(join(dist, 'assets', 'index-abc.js.br'), brotliCompressSync(js));
  writeFileSync(join(dist, 'assets', 'index-abc.js.gz'), gzipSync(js));
  afterAll(() => rmSync(dist, { recursive: true, force: true }));

  it('serves the brotli or gzip copy made at build time, with Vary: Accept-Encoding', async () => {
    const app = await buildServer(loadConfig({}), { distDir: dist, logger: false });
    const br = await app.inject({ url: '/assets/index-abc.js', headers: { 'accept-encoding': 'br, gzip' } });
    expect(br.statusCode).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(String(br.headers.vary)).toMatch(/accept-encoding/i);
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const gz = await app.inject({ url: '/assets/index-abc.js', headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    const plain = await app.inject({ url: '/assets/index-abc.js' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(js);
    await app.close();
  });
});
