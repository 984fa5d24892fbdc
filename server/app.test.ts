import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildServer, MAX_BODY_BYTES, MAX_QUERY_LENGTH } from './app.ts';
import { loadConfig } from './config.ts';
import { recordingUpstream, withLog } from './test-support.ts';
import type { Upstream } from './upstream.ts';

/** The header the panel always sends; the server refuses a PATCH without it (CSRF check). */
const PANEL = { 'x-katapult-panel': '1' };
const TOKEN = 'server-test-token-0123456789';
const TASK_URL = '/api/tasks/task?task%5Bid%5D=task_EvA0bkUBGZh6ATca';
const VM_URL = '/api/virtual_machines/virtual_machine?virtual_machine%5Bid%5D=vm_t8yomYsG4bccKw5D';
const UPDATE_URL = '/api/virtual_machine_network_interfaces/virtual_machine_network_interface/update_speed_profile';

const live = (env: Record<string, string> = {}) =>
  loadConfig({ KATAPULT_API_URL: 'https://api.example.test/core/v1/', KATAPULT_API_TOKEN: TOKEN, ...env });
const demo = (env: Record<string, string> = {}) => loadConfig({ PANEL_MOCK_CONTROLS: '1', ...env });

describe('the proxy (live mode)', () => {
  it('forwards an allowlisted GET to Katapult with its spec’d query parameters and the server’s token', async () => {
    const { calls, upstream } = recordingUpstream();
    const app = await buildServer(live(), { upstream, logger: false });
    // A parameter the spec does not name for this endpoint is refused, not forwarded.
    const extra = await app.inject({ url: `${VM_URL}&x=a%20b&x=c` });
    expect(extra.statusCode).toBe(400);
    expect(extra.json()).toMatchObject({ error: { code: 'query_parameter_not_allowed' } });
    expect(calls).toHaveLength(0);
    const res = await app.inject({ url: VM_URL });
    expect(res.statusCode).toBe(200);
    expect(calls).toHaveLength(1);
    const sent = calls[0]!;
    expect(sent.method).toBe('GET');
    expect(sent.url).toBe('https://api.example.test/core/v1/virtual_machines/virtual_machine?virtual_machine%5Bid%5D=vm_t8yomYsG4bccKw5D');
    expect(sent.headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
    expect(sent.headers.get('accept')).toBe('application/json');
    expect(sent.headers.get('content-type')).toBeNull();
  });

  it('never forwards the browser’s Authorization or Cookie headers to Katapult', async () => {
    const { calls, upstream } = recordingUpstream();
    const app = await buildServer(live(), { upstream, logger: false });
    await app.inject({
      url: TASK_URL,
      headers: { authorization: 'Bearer browser-token', cookie: 'katapult-mock-session=abc; other=1' },
    });
    expect(calls[0]?.headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
    expect(calls[0]?.headers.get('cookie')).toBeNull();
  });

  it('forwards the JSON body of the speed profile change with a JSON content type', async () => {
    const { calls, upstream } = recordingUpstream(() => Response.json({ task: { id: 'task_x' } }));
    const app = await buildServer(live(), { upstream, logger: false });
    const body = { virtual_machine_network_interface: { id: 'vmnet_olNAz8ThH0emHvdr' }, speed_profile: { permalink: '1gbps' } };
    const res = await app.inject({ method: 'PATCH', url: UPDATE_URL, payload: body, headers: PANEL });
    expect(res.statusCode).toBe(200);
    expect(calls[0]?.method).toBe('PATCH');
    expect(calls[0]?.headers.get('content-type')).toBe('application/json');
    expect(await calls[0]?.json()).toEqual(body);
  });

  it('answers 404 route_not_found for a path outside the allowlist and never calls Katapult', async () => {
    const { calls, upstream } = recordingUpstream();
    const app = await buildServer(live(), { upstream, logger: false });
    for (const url of ['/api/organizations', '/api', '/api/virtual_machines/virtual_machine/../../organizations', '/api/tasks/task/extra']) {
      const res = await app.inject({ url, headers: { accept: 'text/html' } });
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.json()).toMatchObject({ error: { code: 'route_not_found', description: expect.any(String), detail: {} } });
    }
    expect(calls).toHaveLength(0);
  });

  it('answers 404 for an allowlisted path with the wrong method and never calls Katapult', async () => {
    const { calls, upstream } = recordingUpstream();
    const app = await buildServer(live(), { upstream, logger: false });
    const responses = [
      await app.inject({ method: 'DELETE', url: VM_URL }),
      await app.inject({ method: 'POST', url: UPDATE_URL, payload: {} }),
      await app.inject({ method: 'GET', url: UPDATE_URL }),
      await app.inject({ method: 'PATCH', url: TASK_URL, payload: {} }),
      await app.inject({ method: 'HEAD', url: VM_URL }),
    ];
    for (const res of responses) expect(res.statusCode).toBe(404);
    expect(responses[0]?.json()).toMatchObject({ error: { code: 'route_not_found' } });
    expect(calls).toHaveLength(0);
  });

  it('passes a wrapped Katapult error through with its status, body and content type unchanged', async () => {
    const katapultBody = JSON.stringify({
      error: { code: 'virtual_machine_not_found', description: 'No virtual machine was found', detail: {} },
    });
    const { upstream } = recordingUpstream(
      () => new Response(katapultBody, { status: 404, headers: { 'content-type': 'application/json; charset=utf-8' } }),
    );
    const app = await buildServer(live(), { upstream, logger: false });
    const res = await app.inject({ url: VM_URL });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.body).toBe(katapultBody);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('turns an HTML 502 page from a proxy in front of Katapult into a JSON 502 with its status and a plain-text excerpt', async () => {
    const html = '<html><head><style>h1{}</style></head><body><h1>502 Bad Gateway</h1><script>alert(1)</script></body></html>';
    const { upstream } = recordingUpstream(() => new Response(html, { status: 502, headers: { 'content-type': 'text/html' } }));
    const app = await buildServer(live(), { upstream, logger: false });
    const res = await app.inject({ url: TASK_URL });
    expect(res.statusCode).toBe(502);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.json()).toEqual({
      error: {
        code: 'upstream_not_json',
        description: 'Katapult answered HTTP 502 with a body that is not JSON.',
        detail: { status: 502, content_type: 'text/html', excerpt: '502 Bad Gateway' },
      },
    });
  });

  it('passes a 429 rate limit through with its Retry-After header', async () => {
    const { upstream } = recordingUpstream(() =>
      Response.json(
        { error: { code: 'rate_limit_reached', description: 'slow down', detail: { total_permitted: 300 } } },
        { status: 429, headers: { 'retry-after': '30' } },
      ),
    );
    const app = await buildServer(live(), { upstream, logger: false });
    const res = await app.inject({ url: TASK_URL });
    expect(res.statusCode).toBe(429);
    expect(res.headers['retry-after']).toBe('30');
    expect(res.json()).toMatchObject({ error: { detail: { total_permitted: 300 } } });
  });

  it('answers 504 after UPSTREAM_TIMEOUT_MS even when the upstream ignores the abort signal', async () => {
    const { calls, upstream } = recordingUpstream(() => new Promise<Response>(() => {}));
    const app = await buildServer(live({ UPSTREAM_TIMEOUT_MS: '150' }), { upstream, logger: false });
    const res = await app.inject({ url: TASK_URL });
    expect(res.statusCode).toBe(504);
    expect(res.json()).toEqual({
      error: { code: 'upstream_timeout', description: 'Katapult did not answer within 0.15 s.', detail: { timeout_seconds: 0.15 } },
    });
    // The upstream call is abandoned too: its connection closes, which aborts the stand-in's request.
    const signal = calls[0]!.signal;
    if (!signal.aborted) await new Promise((r) => signal.addEventListener('abort', r, { once: true }));
    expect(signal.aborted).toBe(true);
  });

  it('answers 502 upstream_unreachable in plain English when the connection is refused', async () => {
    // Port 1 on loopback: nothing listens there.
    const app = await buildServer(live({ KATAPULT_API_URL: 'http://127.0.0.1:1/core/v1' }), { logger: false });
    const res = await app.inject({ url: TASK_URL });
    expect(res.statusCode).toBe(502);
    expect(res.json()).toEqual({
      error: {
        code: 'upstream_unreachable',
        description: 'The panel’s server could not reach Katapult: the connection was refused.',
        detail: { reason: 'ECONNREFUSED' },
      },
    });
  });

  it('refuses a query string longer than 4 kB with 414 and never calls Katapult', async () => {
    const { calls, upstream } = recordingUpstream();
    const app = await buildServer(live(), { upstream, logger: false });
    const res = await app.inject({ url: `${TASK_URL}&pad=${'a'.repeat(MAX_QUERY_LENGTH)}` });
    expect(res.statusCode).toBe(414);
    expect(res.json()).toMatchObject({ error: { code: 'query_too_long' } });
    expect(calls).toHaveLength(0);
  });

  it('refuses a body larger than 16 kB with 413 and never calls Katapult', async () => {
    const { calls, upstream } = recordingUpstream();
    const app = await buildServer(live(), { upstream, logger: false });
    const res = await app.inject({ method: 'PATCH', url: UPDATE_URL, payload: { pad: 'a'.repeat(MAX_BODY_BYTES) }, headers: PANEL });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ error: { code: 'request_too_large' } });
    expect(calls).toHaveLength(0);
  });

  it('refuses a body that is not JSON with a Katapult-shaped error and never calls Katapult', async () => {
    const { calls, upstream } = recordingUpstream();
    const app = await buildServer(live(), { upstream, logger: false });
    const broken = await app.inject({ method: 'PATCH', url: UPDATE_URL, payload: '{"a":', headers: { ...PANEL, 'content-type': 'application/json' } });
    const text = await app.inject({ method: 'PATCH', url: UPDATE_URL, payload: 'hello', headers: { ...PANEL, 'content-type': 'text/plain' } });
    expect(broken.statusCode).toBe(400);
    expect(broken.json()).toMatchObject({ error: { code: 'invalid_request' } });
    expect(text.statusCode).toBe(415);
    expect(text.json()).toMatchObject({ error: { code: 'unsupported_media_type' } });
    expect(calls).toHaveLength(0);
  });

  it('does not offer the mock’s test controls', async () => {
    const { calls, upstream } = recordingUpstream();
    const app = await buildServer(live(), { upstream, logger: false });
    const res = await app.inject({ method: 'POST', url: '/__mock/reset', payload: {} });
    expect(res.statusCode).toBe(404);
    expect(calls).toHaveLength(0);
  });
});

describe('the panel’s own endpoints and headers', () => {
  it('answers /healthz with status ok', async () => {
    const app = await buildServer(live(), { logger: false });
    const res = await app.inject({ url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('tells the UI its mode and the frame ancestors it takes theme messages from, nothing else (no token, no Katapult URL)', async () => {
    const liveApp = await buildServer(live(), { logger: false });
    const demoApp = await buildServer(demo({ KATAPULT_API_TOKEN: TOKEN }), { logger: false });
    const liveRes = await liveApp.inject({ url: '/api/_panel/config' });
    expect(liveRes.json()).toEqual({ mode: 'live', frame_ancestors: ["'self'"] });
    expect(liveRes.headers['cache-control']).toBe('no-store');
    expect((await demoApp.inject({ url: '/api/_panel/config' })).json()).toEqual({ mode: 'demo', frame_ancestors: ["'self'"] });
    expect(liveRes.body).not.toContain('example.test');
  });

  it('never puts the token in any response body or header', async () => {
    const { upstream } = recordingUpstream((req) =>
      Response.json({ error: { code: 'invalid_api_token', description: 'no', detail: {} } }, { status: 403, headers: { 'x-seen': req.url } }),
    );
    const app = await buildServer(live(), { upstream, logger: false });
    const responses = await Promise.all(
      [TASK_URL, '/api/_panel/config', '/healthz', '/api/nope', '/', '/__mock/state'].map((url) =>
        app.inject({ url, headers: { authorization: `Bearer ${TOKEN}` } }),
      ),
    );
    responses.push(await app.inject({ method: 'PATCH', url: UPDATE_URL, payload: '{', headers: { 'content-type': 'application/json' } }));
    for (const r of responses) expect(JSON.stringify(r.headers) + r.body).not.toContain(TOKEN);
  });

  it('sends a strict Content-Security-Policy whose frame-ancestors come from FRAME_ANCESTORS', async () => {
    const app = await buildServer(live({ FRAME_ANCESTORS: "'self' https://portal.example.com" }), { logger: false });
    const res = await app.inject({ url: '/healthz' });
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("frame-ancestors 'self' https://portal.example.com");
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self' 'unsafe-inline'");
    expect(csp).toContain("img-src 'self' data:");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("base-uri 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-frame-options']).toBeUndefined();
  });

  it('frames only from its own origin by default', async () => {
    const app = await buildServer(live(), { logger: false });
    const res = await app.inject({ url: '/healthz' });
    expect(String(res.headers['content-security-policy'])).toContain("frame-ancestors 'self'");
  });
});

describe('the request log', () => {
  it('writes one line per request with method, path, status, duration and upstream status', async () => {
    const { upstream } = recordingUpstream(() => Response.json({ error: { code: 'task_not_found' } }, { status: 404 }));
    const { app, records } = await withLog(live(), upstream);
    await app.inject({ url: TASK_URL });
    await app.inject({ url: '/healthz' });
    const requests = records().filter((r) => r.msg === 'request');
    expect(requests).toHaveLength(2);
    expect(requests[0]).toMatchObject({ method: 'GET', path: '/api/tasks/task', status: 404, upstreamStatus: 404 });
    expect(requests[0]?.durationMs).toEqual(expect.any(Number));
    expect(requests[1]).toMatchObject({ method: 'GET', path: '/healthz', status: 200 });
    expect(requests[1]).not.toHaveProperty('upstreamStatus');
  });

  it('never writes the token, the browser’s Authorization or its cookies, even at trace level', async () => {
    const leaky: Upstream = async (req) => {
      if (req.url.includes('tasks')) throw new TypeError(`fetch failed for ${req.headers.get('authorization')}`);
      throw new Error(`boom ${TOKEN}`);
    };
    const { app, lines } = await withLog(live(), leaky);
    await app.inject({ url: TASK_URL, headers: { authorization: `Bearer ${TOKEN}`, cookie: `s=${TOKEN}` } });
    await app.inject({ url: VM_URL });
    await app.inject({ url: `/api/nope?token=${TOKEN}` });
    await app.inject({ method: 'PATCH', url: UPDATE_URL, payload: `{"${TOKEN}"`, headers: { 'content-type': 'application/json' } });
    expect(lines.length).toBeGreaterThanOrEqual(4);
    expect(lines.join('\n')).not.toContain(TOKEN);
  });
});

describe('demo mode', () => {
  it('answers from the embedded mock', async () => {
    const app = await buildServer(demo(), { logger: false });
    const vm = await app.inject({ url: VM_URL });
    expect(vm.statusCode).toBe(200);
    expect(vm.json()).toMatchObject({ virtual_machine: { id: 'vm_t8yomYsG4bccKw5D' } });
    expect(vm.headers['cache-control']).toBe('no-store');
  });

  it('answers the mock’s own Katapult-shaped errors', async () => {
    const app = await buildServer(demo(), { logger: false });
    const res = await app.inject({ url: '/api/virtual_machines/virtual_machine?virtual_machine%5Bid%5D=vm_doesNotExist0001' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: { code: 'virtual_machine_not_found' } });
  });

  it('sends the configured token to the mock, or demo-token when none is set', async () => {
    const withToken = recordingUpstream();
    await (await buildServer(demo({ KATAPULT_API_TOKEN: TOKEN }), { upstream: withToken.upstream, logger: false })).inject({ url: TASK_URL });
    expect(withToken.calls[0]?.headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
    expect(withToken.calls[0]?.url).toBe('http://katapult.mock/core/v1/tasks/task?task%5Bid%5D=task_EvA0bkUBGZh6ATca');
    const without = recordingUpstream();
    await (await buildServer(demo(), { upstream: without.upstream, logger: false })).inject({ url: TASK_URL });
    expect(without.calls[0]?.headers.get('authorization')).toBe('Bearer demo-token');
  });

  it('forwards the mock session cookie but never the browser’s Authorization', async () => {
    const { calls, upstream } = recordingUpstream();
    const app = await buildServer(demo(), { upstream, logger: false });
    await app.inject({ url: TASK_URL, headers: { cookie: 'katapult-mock-session=s1', authorization: 'Bearer browser' } });
    expect(calls[0]?.headers.get('cookie')).toBe('katapult-mock-session=s1');
    expect(calls[0]?.headers.get('authorization')).toBe('Bearer demo-token');
  });

  it('forwards /__mock controls to the mock with their body and cookie, keeping sessions apart', async () => {
    const app = await buildServer(demo(), { logger: false });
    const a = { ...PANEL, cookie: 'katapult-mock-session=server-test-a' };
    const b = { ...PANEL, cookie: 'katapult-mock-session=server-test-b' };
    expect((await app.inject({ method: 'POST', url: '/__mock/reset', payload: {}, headers: a })).json()).toEqual({ ok: true });
    await app.inject({ method: 'POST', url: '/__mock/reset', payload: {}, headers: b });
    await app.inject({ url: VM_URL, headers: a });
    const logA = (await app.inject({ url: '/__mock/requests', headers: a })).json() as unknown[];
    const logB = (await app.inject({ url: '/__mock/requests', headers: b })).json() as unknown[];
    expect(logA).toHaveLength(1);
    expect(logB).toHaveLength(0);
    const config = await app.inject({ method: 'POST', url: '/__mock/config', payload: { latencyMs: 0 }, headers: a });
    expect(config.json()).toMatchObject({ latencyMs: 0 });
  });

  it('answers 404 route_not_found for an unknown /__mock control', async () => {
    const app = await buildServer(demo(), { logger: false });
    const res = await app.inject({ url: '/__mock/nothing', headers: PANEL });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: { code: 'route_not_found' } });
  });

  it('turns the mock’s injected network failure into 502 upstream_unreachable', async () => {
    const app = await buildServer(demo(), { logger: false });
    const s = { ...PANEL, cookie: 'katapult-mock-session=server-test-neterr' };
    await app.inject({ method: 'POST', url: '/__mock/reset', payload: {}, headers: s });
    await app.inject({ method: 'POST', url: '/__mock/faults', payload: { endpoint: '/tasks/task', networkError: true }, headers: s });
    const res = await app.inject({ url: TASK_URL, headers: s });
    expect(res.statusCode).toBe(502);
    expect(res.json()).toMatchObject({ error: { code: 'upstream_unreachable' } });
  });
});

describe('the single-page app', () => {
  const dist = mkdtempSync(join(tmpdir(), 'panel-dist-'));
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Panel</title><script src="/assets/index-abc123.js"></script>');
  writeFileSync(join(dist, 'assets', 'index-abc123.js'), 'console.log(1)');
  writeFileSync(join(dist, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  afterAll(() => rmSync(dist, { recursive: true, force: true }));
  const spa = () => buildServer(live(), { distDir: dist, logger: false });

  it('serves index.html for a deep link, not cached', async () => {
    const app = await spa();
    const res = await app.inject({ url: '/?vm=vm_t8yomYsG4bccKw5D&network=public', headers: { accept: 'text/html' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('<title>Panel</title>');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(String(res.headers['content-security-policy'])).toContain('frame-ancestors');
  });

  it('falls back to index.html for unknown paths that ask for HTML', async () => {
    const app = await spa();
    const res = await app.inject({ url: '/some/client/route?task=task_x', headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<title>Panel</title>');
    expect(res.headers['cache-control']).toBe('no-cache');
  });

  it('serves hashed assets with a long immutable cache and other files with no-cache', async () => {
    const app = await spa();
    const asset = await app.inject({ url: '/assets/index-abc123.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const icon = await app.inject({ url: '/favicon.svg' });
    expect(icon.statusCode).toBe(200);
    expect(icon.headers['cache-control']).toBe('no-cache');
  });

  it('answers 404 JSON, not the page, for missing assets and for /api paths even when HTML is accepted', async () => {
    const app = await spa();
    const missing = await app.inject({ url: '/assets/gone-123.js', headers: { accept: '*/*' } });
    expect(missing.statusCode).toBe(404);
    const api = await app.inject({ url: '/api/organizations', headers: { accept: 'text/html' } });
    expect(api.statusCode).toBe(404);
    expect(api.json()).toMatchObject({ error: { code: 'route_not_found' } });
  });
});
