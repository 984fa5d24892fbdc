/**
 * Issue 6: a server safe to run behind the support portal. Security headers, cross-site request
 * protection for the PATCH, per-user token mode, readiness, and the embeddable module's path.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { buildServer, READY_CACHE_MS } from './app.ts';
import { EMBED_DIR, EMBED_FILE } from './build.ts';
import { loadConfig } from './config.ts';
import { recordingUpstream as recordingUpstreamOf, withLog } from './test-support.ts';
import type { Upstream } from './upstream.ts';

const SERVER_TOKEN = 'server-token-must-stay-home-0123';
const USER_TOKEN = 'portal-user-token-abcdef-987654';
const TASK_URL = '/api/tasks/task?task%5Bid%5D=task_EvA0bkUBGZh6ATca';
const UPDATE_URL = '/api/virtual_machine_network_interfaces/virtual_machine_network_interface/update_speed_profile';
const CHANGE = { virtual_machine_network_interface: { id: 'vmnet_olNAz8ThH0emHvdr' }, speed_profile: { permalink: '1gbps' } };
const PANEL = { 'x-katapult-panel': '1' };
const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** An upstream that records requests and answers a PATCH's task. */
const recordingUpstream = (answer: (req: Request) => Response | Promise<Response> = () => Response.json({ task: { id: 'task_x' } })) =>
  recordingUpstreamOf(answer);

const live = (env: Record<string, string> = {}) =>
  loadConfig({ KATAPULT_API_URL: 'https://api.example.test/core/v1', KATAPULT_API_TOKEN: SERVER_TOKEN, ...env });

async function app(env: Record<string, string> = {}, upstream?: Upstream) {
  const { app: server, lines } = await withLog(live(env), upstream);
  return { server, lines };
}

describe('security headers', () => {
  it('sends a strict CSP without inline script, nosniff and no referrer', async () => {
    const { server } = await app();
    const res = await server.inject({ url: '/healthz' });
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("object-src 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
  });

  it('takes frame-ancestors from FRAME_ANCESTORS', async () => {
    const { server } = await app({ FRAME_ANCESTORS: "'self' https://portal.corp.example" });
    const res = await server.inject({ url: '/healthz' });
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'self' https://portal.corp.example");
  });

  it('sends HSTS only when the request came in over TLS (directly or via X-Forwarded-Proto)', async () => {
    const { server } = await app();
    expect((await server.inject({ url: '/healthz' })).headers['strict-transport-security']).toBeUndefined();
    const behindTls = await server.inject({ url: '/healthz', headers: { 'x-forwarded-proto': 'https' } });
    expect(behindTls.headers['strict-transport-security']).toMatch(/^max-age=\d{7,}/);
  });

  it('has no inline script in index.html or the example host page (the CSP would block it)', () => {
    for (const file of ['index.html', 'public/embed-example.html']) {
      const html = readFileSync(join(ROOT, file), 'utf8');
      const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
      expect(scripts.length, file).toBeGreaterThan(0);
      for (const [, attrs, body] of scripts) {
        expect(attrs, file).toMatch(/\bsrc=/);
        expect(body?.trim(), file).toBe('');
      }
      expect(html, file).not.toMatch(/\son[a-z]+=/i);
    }
  });
});

describe('cross-site request protection for the speed profile change', () => {
  it('refuses a PATCH from another site with 403 and never calls Katapult', async () => {
    const { calls, upstream } = recordingUpstream();
    const { server } = await app({ PUBLIC_URL: 'https://panel.corp.example' }, upstream);
    const res = await server.inject({
      method: 'PATCH',
      url: UPDATE_URL,
      payload: CHANGE,
      headers: { ...PANEL, host: 'panel.corp.example', origin: 'https://evil.example' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ error: { code: 'cross_origin_request_refused', detail: {} } });
    expect(res.body).not.toContain('evil.example');
    expect(calls).toHaveLength(0);
  });

  it('refuses a PATCH without the panel’s header, even from its own origin', async () => {
    const { calls, upstream } = recordingUpstream();
    const { server } = await app({ PUBLIC_URL: 'http://panel.corp.example' }, upstream);
    const res = await server.inject({
      method: 'PATCH',
      url: UPDATE_URL,
      payload: CHANGE,
      headers: { host: 'panel.corp.example', origin: 'http://panel.corp.example' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ error: { code: 'panel_header_missing' } });
    expect(calls).toHaveLength(0);
  });

  it('accepts a PATCH with the header from its own origin, behind TLS, or with no Origin at all', async () => {
    const { calls, upstream } = recordingUpstream();
    const { server } = await app({ ALLOWED_HOSTS: 'panel.corp.example localhost' }, upstream);
    const own = await server.inject({
      method: 'PATCH',
      url: UPDATE_URL,
      payload: CHANGE,
      headers: { ...PANEL, host: 'panel.corp.example:3000', origin: 'http://panel.corp.example:3000' },
    });
    const tls = await server.inject({
      method: 'PATCH',
      url: UPDATE_URL,
      payload: CHANGE,
      headers: { ...PANEL, host: 'panel.corp.example', origin: 'https://panel.corp.example', 'x-forwarded-proto': 'https' },
    });
    const noOrigin = await server.inject({ method: 'PATCH', url: UPDATE_URL, payload: CHANGE, headers: PANEL });
    expect([own.statusCode, tls.statusCode, noOrigin.statusCode]).toEqual([200, 200, 200]);
    expect(calls).toHaveLength(3);
    expect(await calls[0]?.json()).toEqual(CHANGE);
  });

  it('accepts a PATCH from a FRAME_ANCESTORS origin (the portal), including a wildcard subdomain', async () => {
    const { calls, upstream } = recordingUpstream();
    const { server } = await app(
      { FRAME_ANCESTORS: "'self' https://portal.corp.example https://*.tools.example", ALLOWED_HOSTS: 'panel.internal' },
      upstream,
    );
    const send = (origin: string) =>
      server.inject({ method: 'PATCH', url: UPDATE_URL, payload: CHANGE, headers: { ...PANEL, host: 'panel.internal', origin } });
    expect((await send('https://portal.corp.example')).statusCode).toBe(200);
    expect((await send('https://support.tools.example')).statusCode).toBe(200);
    expect((await send('https://tools.example.evil.example')).statusCode).toBe(403);
    expect((await send('http://portal.corp.example')).statusCode).toBe(403);
    expect(calls).toHaveLength(2);
  });

  it('leaves reads alone: a GET needs neither the header nor a matching Origin', async () => {
    const { calls, upstream } = recordingUpstream();
    const { server } = await app({}, upstream);
    const res = await server.inject({ url: TASK_URL, headers: { origin: 'https://elsewhere.example' } });
    expect(res.statusCode).toBe(200);
    expect(calls).toHaveLength(1);
  });
});

describe('per-user token mode (AUTH_MODE=per-user)', () => {
  it('forwards the host’s token upstream and not the server’s', async () => {
    const { calls, upstream } = recordingUpstream();
    const { server } = await app({ AUTH_MODE: 'per-user' }, upstream);
    const get = await server.inject({ url: TASK_URL, headers: { authorization: `Bearer ${USER_TOKEN}` } });
    const patch = await server.inject({
      method: 'PATCH',
      url: UPDATE_URL,
      payload: CHANGE,
      headers: { ...PANEL, authorization: `Bearer ${USER_TOKEN}` },
    });
    expect([get.statusCode, patch.statusCode]).toEqual([200, 200]);
    expect(calls.map((c) => c.headers.get('authorization'))).toEqual([`Bearer ${USER_TOKEN}`, `Bearer ${USER_TOKEN}`]);
    for (const c of calls) expect(JSON.stringify([...c.headers])).not.toContain(SERVER_TOKEN);
  });

  it('answers Katapult’s missing_api_token (400, wrapped) without calling Katapult when no token is sent', async () => {
    const { calls, upstream } = recordingUpstream();
    const { server } = await app({ AUTH_MODE: 'per-user' }, upstream);
    for (const authorization of [undefined, '', 'Basic dXNlcjpwYXNz', 'Bearer ']) {
      const res = await server.inject({ url: TASK_URL, headers: authorization === undefined ? {} : { authorization } });
      expect(res.statusCode, String(authorization)).toBe(400);
      expect(res.json()).toEqual({
        error: { code: 'missing_api_token', description: expect.stringContaining('Authorization header'), detail: {} },
      });
    }
    expect(calls).toHaveLength(0);
  });

  it('never writes the user’s or the server’s token into a response or a log line', async () => {
    const { upstream } = recordingUpstream((req) =>
      req.url.includes('slow') ? Promise.reject(new TypeError('fetch failed')) : Response.json({ error: { code: 'invalid_api_token' } }, { status: 403 }),
    );
    const { server, lines } = await app({ AUTH_MODE: 'per-user' }, upstream);
    const auth = { authorization: `Bearer ${USER_TOKEN}` };
    const responses = [
      await server.inject({ url: TASK_URL, headers: auth }),
      await server.inject({ url: `${TASK_URL}slow`, headers: auth }),
      await server.inject({ method: 'PATCH', url: UPDATE_URL, payload: CHANGE, headers: { ...auth, ...PANEL } }),
      await server.inject({ method: 'PATCH', url: UPDATE_URL, payload: CHANGE, headers: { ...auth, origin: 'https://evil.example' } }),
      await server.inject({ url: '/api/organizations', headers: auth }),
      await server.inject({ url: '/readyz', headers: auth }),
    ];
    for (const r of responses) {
      const seen = JSON.stringify(r.headers) + r.body;
      expect(seen).not.toContain(USER_TOKEN);
      expect(seen).not.toContain(SERVER_TOKEN);
    }
    const requestLines = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'request');
    expect(requestLines).toHaveLength(responses.length);
    expect(requestLines[0]).toMatchObject({ method: 'GET', path: '/api/tasks/task', status: 403, upstreamStatus: 403 });
    expect(requestLines[3]).toMatchObject({ method: 'PATCH', status: 403 });
    expect(requestLines[3]).not.toHaveProperty('upstreamStatus');
    expect(lines.join('\n')).not.toContain(USER_TOKEN);
    expect(lines.join('\n')).not.toContain(SERVER_TOKEN);
  });

  it('is off by default: the browser’s Authorization is ignored and the server’s token is used', async () => {
    const { calls, upstream } = recordingUpstream();
    const { server } = await app({}, upstream);
    await server.inject({ url: TASK_URL, headers: { authorization: `Bearer ${USER_TOKEN}` } });
    expect(calls[0]?.headers.get('authorization')).toBe(`Bearer ${SERVER_TOKEN}`);
  });

  it('rejects an unknown AUTH_MODE at startup', () => {
    expect(() => live({ AUTH_MODE: 'anyone' })).toThrow(/AUTH_MODE/);
  });
});

describe('the allowlist', () => {
  it('never lets a look-alike path reach Katapult', async () => {
    const { calls, upstream } = recordingUpstream();
    const { server } = await app({}, upstream);
    for (const url of [
      '/api/tasks/task/../../organizations',
      '/api/tasks/task%2F..%2F..%2Forganizations',
      '/api/tasks/task/extra',
      '/api/tasks',
      '/api//tasks/task',
      '/api/organizations/organization',
    ]) {
      const res = await server.inject({ url });
      expect(res.statusCode, url).toBe(404);
    }
    expect(calls).toHaveLength(0);
  });
});

describe('GET /readyz', () => {
  afterEach(() => vi.useRealTimers());

  it('is always ready in demo mode', async () => {
    const server = await buildServer(loadConfig({}), { logger: false, distDir: null });
    const res = await server.inject({ url: '/readyz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ready', mode: 'demo' });
  });

  it('is ready when Katapult answers at all, asks without a token, and reuses the answer briefly', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { calls, upstream } = recordingUpstream(() => Response.json({ error: { code: 'route_not_found' } }, { status: 404 }));
    const { server } = await app({}, upstream);
    const first = await server.inject({ url: '/readyz' });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ status: 'ready', upstreamStatus: 404 });
    expect(calls[0]?.headers.get('authorization')).toBeNull();
    await server.inject({ url: '/readyz' });
    expect(calls).toHaveLength(1);
    vi.advanceTimersByTime(READY_CACHE_MS + 1);
    await server.inject({ url: '/readyz' });
    expect(calls).toHaveLength(2);
  });

  it('is not ready (503) when Katapult cannot be reached or answers 5xx', async () => {
    const down = await app({}, () => Promise.reject(new TypeError('fetch failed')));
    const r1 = await down.server.inject({ url: '/readyz' });
    expect(r1.statusCode).toBe(503);
    expect(r1.json()).toMatchObject({ status: 'not_ready', reason: 'Katapult could not be reached.' });
    const failing = await app({}, async () => new Response('oops', { status: 503 }));
    const r2 = await failing.server.inject({ url: '/readyz' });
    expect(r2.statusCode).toBe(503);
    expect(r2.json()).toMatchObject({ status: 'not_ready', upstreamStatus: 503 });
  });
});

describe('the embeddable module', () => {
  const dist = mkdtempSync(join(tmpdir(), 'panel-embed-'));
  afterAll(() => rmSync(dist, { recursive: true, force: true }));

  it(`is served at /${EMBED_DIR}/${EMBED_FILE} as JavaScript, loadable by a portal on another origin`, async () => {
    writeFileSync(join(dist, 'index.html'), '<!doctype html><script type="module" src="/x.js"></script>');
    mkdirSync(join(dist, EMBED_DIR));
    writeFileSync(join(dist, EMBED_DIR, EMBED_FILE), 'export function mount() {}');
    const server = await buildServer(live(), { logger: false, distDir: dist });
    const res = await server.inject({ url: `/${EMBED_DIR}/${EMBED_FILE}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.body).toContain('export function mount');
    // Only the module is shared cross-origin, not the API.
    expect((await server.inject({ url: '/healthz' })).headers['access-control-allow-origin']).toBeUndefined();
  });
});
