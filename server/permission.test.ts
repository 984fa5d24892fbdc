/**
 * Who may change speed profiles: CHANGE_GROUPS against the groups in TRUSTED_GROUPS_HEADER. A refused
 * change reaches nothing upstream and is recorded; GET /api/panel/me says who and whether.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AuditListAnswer } from '../protocol/audit.ts';
import type { ChangeNotPermittedDetail, PanelMe } from '../protocol/panel.ts';
import { auditedServer, recordingUpstream } from './test-support.ts';

const PANEL = { 'x-katapult-panel': '1' };
const CHANGE_URL = '/api/virtual_machine_network_interfaces/virtual_machine_network_interface/update_speed_profile';
const NIC = 'vmnet_olNAz8ThH0emHvdr';
const body = { virtual_machine_network_interface: { id: NIC }, speed_profile: { permalink: '1gbps' } };
const TRUSTED = { TRUSTED_USER_HEADER: 'X-Forwarded-Email', TRUSTED_GROUPS_HEADER: 'X-Forwarded-Groups' };

describe('who may change speed profiles', () => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c().catch(() => {});
  });

  async function server(env: Record<string, string>) {
    const { calls, upstream } = recordingUpstream((req) =>
      req.method === 'PATCH' ? Response.json({ task: { id: 'task_P', status: 'pending' } }) : Response.json({}, { status: 404 }),
    );
    const { app } = await auditedServer('sqlite', { env: { KATAPULT_API_TOKEN: 'permission-test-token', ...env }, build: { upstream } });
    cleanup.push(() => app.close());
    const as = (user: string, groups?: string) => ({ 'x-forwarded-email': user, ...(groups === undefined ? {} : { 'x-forwarded-groups': groups }) });
    const change = (who: Record<string, string>) => app.inject({ method: 'PATCH', url: CHANGE_URL, payload: body, headers: { ...PANEL, ...who } });
    const me = (who: Record<string, string>) => app.inject({ url: '/api/panel/me', headers: { ...PANEL, ...who } });
    const entries = async () => (await app.inject({ url: '/api/panel/audit' })).json<AuditListAnswer>().entries;
    return { app, calls, as, change, me, entries };
  }

  it('lets a member of a CHANGE_GROUPS group change, and says so at /api/panel/me', async () => {
    const s = await server({ ...TRUSTED, CHANGE_GROUPS: 'network-admins,noc' });
    const who = s.as('alice@staff.example', 'support, network-admins');
    const me = await s.me(who);
    expect(me.statusCode).toBe(200);
    expect(me.json<PanelMe>()).toEqual({
      user: 'alice@staff.example',
      groups: ['support', 'network-admins'],
      may_change: true,
      reason: null,
      change_groups: ['network-admins', 'noc'],
    });
    expect((await s.change(who)).statusCode).toBe(200);
    expect(s.calls.filter((c) => c.method === 'PATCH')).toHaveLength(1);
  });

  it('refuses anyone else with 403 change_not_permitted, forwards nothing and records the refusal with the user', async () => {
    const s = await server({ ...TRUSTED, CHANGE_GROUPS: 'network-admins' });
    const who = s.as('bob@staff.example', 'support readers');
    const me = (await s.me(who)).json<PanelMe>();
    expect(me).toMatchObject({ user: 'bob@staff.example', groups: ['support', 'readers'], may_change: false });
    expect(me.reason).toContain('network-admins');
    const res = await s.change(who);
    expect(res.statusCode).toBe(403);
    expect(res.headers['cache-control']).toBe('no-store');
    const { error } = res.json<{ error: { code: string; description: string; detail: ChangeNotPermittedDetail } }>();
    expect(error.code).toBe('change_not_permitted');
    expect(error.description).toBe(me.reason);
    expect(error.detail).toEqual({ user: 'bob@staff.example', groups: ['support', 'readers'], change_groups: ['network-admins'] });
    expect(s.calls).toHaveLength(0);
    const [e] = await s.entries();
    expect(e).toMatchObject({ user: 'bob@staff.example', outcome: 'rejected', error_code: 'change_not_permitted', interface_id: NIC, blocking: false });
    expect(e!.ended_at).not.toBeNull();
    // A member sent no groups at all is refused too.
    expect((await s.change(s.as('carol@staff.example'))).statusCode).toBe(403);
    expect(s.calls).toHaveLength(0);
  });

  it('refuses a member outside the groups even while another change holds the interface, and takes no lock', async () => {
    const s = await server({ ...TRUSTED, CHANGE_GROUPS: 'network-admins' });
    expect((await s.change(s.as('alice@staff.example', 'network-admins'))).statusCode).toBe(200);
    expect((await s.change(s.as('bob@staff.example', 'support'))).statusCode).toBe(403);
    expect((await s.entries()).map((e) => [e.user, e.outcome, e.blocking])).toEqual([
      ['bob@staff.example', 'rejected', false],
      ['alice@staff.example', 'running', true],
    ]);
  });

  it('lets everyone change when CHANGE_GROUPS is unset', async () => {
    const s = await server(TRUSTED);
    const who = s.as('dave@staff.example', 'support');
    expect((await s.me(who)).json<PanelMe>()).toEqual({
      user: 'dave@staff.example',
      groups: ['support'],
      may_change: true,
      reason: null,
      change_groups: null,
    });
    expect((await s.change(who)).statusCode).toBe(200);
  });

  it('trusts no user or groups header the server is not configured to trust', async () => {
    const s = await server({});
    const me = (await s.me(s.as('mallory@evil.example', 'network-admins'))).json<PanelMe>();
    expect(me).toEqual({ user: null, groups: [], may_change: true, reason: null, change_groups: null });
  });

  it('answers /api/panel/me as JSON behind the same headers and Host guard as the rest of /api', async () => {
    const s = await server(TRUSTED);
    const res = await s.me({});
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['content-security-policy']).toContain('sandbox');
    expect(res.json<PanelMe>()).toMatchObject({ user: null, groups: [] });
    expect((await s.app.inject({ url: '/api/panel/me', headers: { host: 'attacker.example:3000' } })).statusCode).toBe(421);
    const wrong = await s.app.inject({ method: 'POST', url: '/api/panel/me', headers: PANEL });
    expect(wrong.statusCode).toBe(404);
    expect(wrong.json()).toMatchObject({ error: { code: 'route_not_found' } });
  });
});
