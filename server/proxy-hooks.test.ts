/** The proxy's hook points for other plugins (the audit log): beforeForward, afterAnswer and get. */
import { describe, expect, it } from 'vitest';
import { buildServer } from './app.ts';
import { loadConfig } from './config.ts';
import { recordingUpstream } from './test-support.ts';

const TOKEN = 'hooks-token-0123456789';
const UPDATE_URL = '/api/virtual_machine_network_interfaces/virtual_machine_network_interface/update_speed_profile';
const TASK_URL = '/api/tasks/task?task%5Bid%5D=task_EvA0bkUBGZh6ATca';
const CHANGE = { virtual_machine_network_interface: { id: 'vmnet_olNAz8ThH0emHvdr' }, speed_profile: { permalink: '1gbps' } };
const PANEL = { 'x-katapult-panel': '1' };
const live = () => loadConfig({ KATAPULT_API_URL: 'https://api.example.test/core/v1', KATAPULT_API_TOKEN: TOKEN });

describe('the proxy’s hooks', () => {
  it('runs beforeForward with the validated body before the PATCH leaves, and its refusal is the answer', async () => {
    const { calls, upstream } = recordingUpstream(() => Response.json({ task: { id: 'task_x' } }));
    const app = await buildServer(live(), { upstream, logger: false });
    const seen: unknown[] = [];
    let refuse = true;
    app.panelProxy.beforeForward(async ({ body, request }) => {
      seen.push({ body, method: request.method });
      if (refuse) return { status: 503, body: { error: { code: 'audit_unavailable', description: 'down', detail: {} } } };
    });
    const refused = await app.inject({ method: 'PATCH', url: UPDATE_URL, payload: { ...CHANGE }, headers: PANEL });
    expect(refused.statusCode).toBe(503);
    expect(refused.json()).toMatchObject({ error: { code: 'audit_unavailable' } });
    expect(calls).toHaveLength(0);
    refuse = false;
    expect((await app.inject({ method: 'PATCH', url: UPDATE_URL, payload: CHANGE, headers: PANEL })).statusCode).toBe(200);
    expect(calls).toHaveLength(1);
    expect(seen).toEqual([
      { body: CHANGE, method: 'PATCH' },
      { body: CHANGE, method: 'PATCH' },
    ]);
  });

  it('shows afterAnswer each relayed JSON answer, and a failing hook never changes the answer', async () => {
    const { upstream } = recordingUpstream(() => Response.json({ task: { id: 'task_EvA0bkUBGZh6ATca', status: 'completed' } }));
    const app = await buildServer(live(), { upstream, logger: false });
    const seen: unknown[] = [];
    app.panelProxy.afterAnswer(({ method, path, query, status, json }) => void seen.push({ method, path, query, status, json }));
    app.panelProxy.afterAnswer(() => {
      throw new Error('hook failed');
    });
    const res = await app.inject({ url: TASK_URL });
    expect(res.statusCode).toBe(200);
    expect(seen).toEqual([
      {
        method: 'GET',
        path: '/tasks/task',
        query: '?task%5Bid%5D=task_EvA0bkUBGZh6ATca',
        status: 200,
        json: { task: { id: 'task_EvA0bkUBGZh6ATca', status: 'completed' } },
      },
    ]);
  });

  it('lets a hook read Katapult itself with the server’s token through get()', async () => {
    const { calls, upstream } = recordingUpstream((req) =>
      req.url.includes('virtual_machine_network_interface?')
        ? Response.json({ virtual_machine_network_interface: { id: 'vmnet_olNAz8ThH0emHvdr', speed_profile: { id: 'nsp_1' } } })
        : Response.json({ task: { id: 'task_x' } }),
    );
    const app = await buildServer(live(), { upstream, logger: false });
    const read: unknown[] = [];
    app.panelProxy.beforeForward(async ({ request, body }) => {
      read.push(
        await app.panelProxy.get(request, '/virtual_machine_network_interfaces/virtual_machine_network_interface', {
          'virtual_machine_network_interface[id]': body.virtual_machine_network_interface.id ?? '',
        }),
      );
    });
    await app.inject({ method: 'PATCH', url: UPDATE_URL, payload: CHANGE, headers: PANEL });
    expect(read).toEqual([
      { status: 200, json: { virtual_machine_network_interface: { id: 'vmnet_olNAz8ThH0emHvdr', speed_profile: { id: 'nsp_1' } } } },
    ]);
    expect(calls[0]?.url).toBe(
      'https://api.example.test/core/v1/virtual_machine_network_interfaces/virtual_machine_network_interface?virtual_machine_network_interface%5Bid%5D=vmnet_olNAz8ThH0emHvdr',
    );
    expect(calls[0]?.headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
    expect(calls[1]?.method).toBe('PATCH');
  });
});
