/** The live upstream against a real (local) HTTP server: fetch(), timeouts and refused connections. */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from './app.ts';
import { loadConfig } from './config.ts';

const TOKEN = 'live-test-token-abcdef';

interface Seen {
  method: string | undefined;
  url: string | undefined;
  headers: IncomingMessage['headers'];
  body: string;
}

let server: Server;
let base: string;
const seen: Seen[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body });
      if (req.url?.includes('task_slow')) return; // never answers
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'task_not_found', description: 'No task', detail: {} } }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/core/v1`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe('live mode against a real HTTP server', () => {
  it('fetches KATAPULT_API_URL + path + query with the token and relays the answer', async () => {
    const app = await buildServer(loadConfig({ KATAPULT_API_URL: `${base}/`, KATAPULT_API_TOKEN: TOKEN }), { logger: false });
    const res = await app.inject({ url: '/api/tasks/task?task%5Bid%5D=task_1', headers: { cookie: 'a=b' } });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: { code: 'task_not_found' } });
    const last = seen.at(-1);
    expect(last?.url).toBe('/core/v1/tasks/task?task%5Bid%5D=task_1');
    expect(last?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(last?.headers.cookie).toBeUndefined();
  });

  it('sends the PATCH body as JSON', async () => {
    const app = await buildServer(loadConfig({ KATAPULT_API_URL: base, KATAPULT_API_TOKEN: TOKEN }), { logger: false });
    const payload = { virtual_machine_network_interface: { id: 'vmnet_1' }, speed_profile: { id: 'nsp_1' } };
    await app.inject({
      method: 'PATCH',
      url: '/api/virtual_machine_network_interfaces/virtual_machine_network_interface/update_speed_profile',
      payload,
      headers: { 'x-katapult-panel': '1' },
    });
    const last = seen.at(-1);
    expect(last?.method).toBe('PATCH');
    expect(last?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(last?.body ?? '')).toEqual(payload);
  });

  it('answers 504 when Katapult does not answer within UPSTREAM_TIMEOUT_MS', async () => {
    const app = await buildServer(loadConfig({ KATAPULT_API_URL: base, UPSTREAM_TIMEOUT_MS: '200' }), { logger: false });
    const res = await app.inject({ url: '/api/tasks/task?task%5Bid%5D=task_slow' });
    expect(res.statusCode).toBe(504);
    expect(res.json()).toMatchObject({ error: { code: 'upstream_timeout' } });
  });

  it('answers 502 when nothing listens at KATAPULT_API_URL', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const app = await buildServer(loadConfig({ KATAPULT_API_URL: `http://127.0.0.1:${port}/core/v1` }), { logger: false });
    const res = await app.inject({ url: '/api/tasks/task?task%5Bid%5D=t' });
    expect(res.statusCode).toBe(502);
    expect(res.json()).toMatchObject({
      error: { code: 'upstream_unreachable', description: 'The panel’s server could not reach Katapult: the connection was refused.' },
    });
  });
});
