import { describe, expect, it } from 'vitest';
import { buildServer } from './app.ts';
import { loadConfig } from './config.ts';
import type { Upstream } from './upstream.ts';

const TOKEN = 'server-test-token-0123456789';

function recordingUpstream(answer: () => Response | Promise<Response> = () => Response.json({ ok: true })) {
  const calls: Request[] = [];
  const upstream: Upstream = async (req) => {
    calls.push(req);
    return answer();
  };
  return { calls, upstream };
}

const live = (env: Record<string, string> = {}) =>
  loadConfig({ KATAPULT_API_URL: 'https://api.example.test/core/v1/', KATAPULT_API_TOKEN: TOKEN, LOG_LEVEL: 'silent', ...env });

describe('the proxy', () => {
  it('forwards an allowlisted GET with its query and the server’s token, not the browser’s credentials', async () => {
    const { calls, upstream } = recordingUpstream();
    const app = await buildServer(live(), { upstream, logger: false });
    const res = await app.inject({
      url: '/api/tasks/task?task%5Bid%5D=task_abc',
      headers: { authorization: 'Bearer browser-token', cookie: 'session=abc' },
    });
    expect(res.statusCode).toBe(200);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.url).toBe('https://api.example.test/core/v1/tasks/task?task%5Bid%5D=task_abc');
    expect(calls[0]?.headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
    expect(calls[0]?.headers.get('cookie')).toBeNull();
  });

  it('answers 404 for paths and methods outside the allowlist without calling Katapult', async () => {
    const { calls, upstream } = recordingUpstream();
    const app = await buildServer(live(), { upstream, logger: false });
    const offList = await app.inject({ url: '/api/organizations' });
    const wrongMethod = await app.inject({ method: 'DELETE', url: '/api/virtual_machines/virtual_machine?virtual_machine%5Bid%5D=vm_x' });
    expect(offList.statusCode).toBe(404);
    expect(wrongMethod.statusCode).toBe(404);
    expect(offList.json()).toMatchObject({ error: { code: 'route_not_found' } });
    expect(calls).toHaveLength(0);
  });

  it('passes Katapult’s status, body and content type through unchanged', async () => {
    const html = '<html><body>502 Bad Gateway</body></html>';
    const { upstream } = recordingUpstream(() => new Response(html, { status: 502, headers: { 'content-type': 'text/html' } }));
    const app = await buildServer(live(), { upstream, logger: false });
    const res = await app.inject({ url: '/api/tasks/task?task%5Bid%5D=t' });
    expect(res.statusCode).toBe(502);
    expect(res.headers['content-type']).toBe('text/html');
    expect(res.body).toBe(html);
  });

  it('answers 502 with a clear body when Katapult cannot be reached, and 504 when it is too slow', async () => {
    const down = await buildServer(live(), {
      upstream: () => Promise.reject(new TypeError('fetch failed')),
      logger: false,
    });
    const r502 = await down.inject({ url: '/api/tasks/task?task%5Bid%5D=t' });
    expect(r502.statusCode).toBe(502);
    expect(r502.json()).toMatchObject({ error: { code: 'upstream_unreachable' } });
    const slow = await buildServer(live({ UPSTREAM_TIMEOUT_MS: '150' }), {
      upstream: () => new Promise<Response>(() => {}),
      logger: false,
    });
    const r504 = await slow.inject({ url: '/api/tasks/task?task%5Bid%5D=t' });
    expect(r504.statusCode).toBe(504);
    expect(r504.json()).toMatchObject({ error: { code: 'upstream_timeout' } });
  });

  it('never puts the token in a response or a log line', async () => {
    const lines: string[] = [];
    const { upstream } = recordingUpstream(() => Response.json({ error: { code: 'invalid_api_token' } }, { status: 403 }));
    const app = await buildServer(live({ LOG_LEVEL: 'trace' }), {
      upstream,
      logger: { level: 'trace', stream: { write: (l: string) => void lines.push(l) } },
    });
    const responses = await Promise.all(
      ['/api/tasks/task?task%5Bid%5D=t', '/api/_panel/config', '/healthz', '/api/nope'].map((url) =>
        app.inject({ url, headers: { authorization: `Bearer ${TOKEN}` } }),
      ),
    );
    for (const r of responses) expect(JSON.stringify(r.headers) + r.body).not.toContain(TOKEN);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('\n')).not.toContain(TOKEN);
  });

  it('answers from the embedded mock in demo mode and says so', async () => {
    const app = await buildServer(loadConfig({ LOG_LEVEL: 'silent' }), { logger: false });
    const vm = await app.inject({ url: '/api/virtual_machines/virtual_machine?virtual_machine%5Bid%5D=vm_t8yomYsG4bccKw5D' });
    expect(vm.statusCode).toBe(200);
    expect(vm.json()).toMatchObject({ virtual_machine: { name: 'web-01' } });
    expect((await app.inject({ url: '/api/_panel/config' })).json()).toEqual({ mode: 'demo' });
    expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200);
  });
});
