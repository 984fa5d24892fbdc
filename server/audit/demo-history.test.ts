import { afterEach, describe, expect, it } from 'vitest';
import { createSeed } from '../../mock/seed.ts';
import { DATABASE_KINDS, freshAuditConfig } from '../testing/databases.ts';
import { colleaguesOf, demoHistory, demoHistoryHook } from './demo-history.ts';
import { demoUserName } from './demo-user.ts';
import { openAuditStore, type AuditStore, type PastChange } from './store.ts';
import type { FastifyRequest } from 'fastify';

const START = new Date('2026-12-07T15:00:00.000Z');
const HOUR = 3_600_000;
const seed = () => createSeed(Math.floor(START.getTime() / 1000));

describe('a demo session’s history', () => {
  const history = demoHistory(seed(), START, 'session-1', 'demo:session-1');

  it('holds a dozen ended changes of the last five days, by colleagues with readable names', () => {
    expect(history.length).toBeGreaterThanOrEqual(10);
    expect(history.length).toBeLessThanOrEqual(14);
    for (const c of history) {
      expect(c.at.getTime()).toBeLessThan(START.getTime());
      expect(START.getTime() - c.at.getTime()).toBeLessThanOrEqual(5 * 24 * HOUR);
      expect(c.endedAt.getTime()).toBeGreaterThanOrEqual(c.at.getTime());
      expect(c.endedAt.getTime()).toBeLessThan(START.getTime());
      expect(c.user).toMatch(/^demo-user-[a-z]+-[0-9a-f]{2}$/);
      expect(c.user).not.toBe(demoUserName('session-1'));
    }
    expect(new Set(history.map((c) => c.user)).size).toBeGreaterThanOrEqual(3);
    expect(new Set(history.map((c) => c.vm?.id)).size).toBeGreaterThanOrEqual(4);
    expect(new Set(history.map((c) => c.network?.id)).size).toBeGreaterThanOrEqual(3);
    expect(new Set(history.map((c) => c.outcome))).toEqual(new Set(['completed', 'failed', 'rejected', 'already_assigned']));
    // Today, yesterday and the days before all have some.
    const ago = (c: (typeof history)[number]) => START.getTime() - c.at.getTime();
    expect(history.some((c) => ago(c) < 3 * HOUR)).toBe(true);
    expect(history.some((c) => ago(c) >= 24 * HOUR && ago(c) < 48 * HOUR)).toBe(true);
    expect(history.some((c) => ago(c) >= 72 * HOUR)).toBe(true);
  });

  it('names only VMs, interfaces, networks and profiles the session’s mock holds, with a task id where a task ran', () => {
    const data = seed();
    for (const c of history) {
      const nic = data.interfaces.find((i) => i.id === c.interfaceId);
      expect(nic?.vmId).toBe(c.vm?.id);
      expect(nic?.networkId).toBe(c.network?.id);
      expect(data.vms.find((v) => v.vm.id === c.vm?.id)?.vm.name).toBe(c.vm?.name);
      expect(data.speedProfiles.find((p) => p.id === c.fromProfile?.id)?.name).toBe(c.fromProfile?.name);
      expect(data.speedProfiles.find((p) => p.id === c.toProfile.id)?.name).toBe(c.toProfile.name);
      if (c.outcome === 'completed' || c.outcome === 'failed') expect(c.taskId).toMatch(/^task_[A-Za-z0-9]{16}$/);
      else expect(c.taskId).toBeNull();
    }
    expect(history.find((c) => c.outcome === 'rejected')?.errorCode).toBe('change_not_permitted');
  });

  it('ends each interface’s completed changes on the profile it has now, so a change back is true', () => {
    const data = seed();
    const interfaces = new Set(history.map((c) => c.interfaceId));
    for (const id of interfaces) {
      const last = history.filter((c) => c.interfaceId === id && c.outcome === 'completed').at(-1);
      if (last) expect(last.toProfile.id).toBe(data.interfaces.find((i) => i.id === id)?.speedProfileId);
    }
    // A session whose interface is on another profile gets no history that says otherwise.
    const moved = seed();
    moved.interfaces.find((i) => i.id === 'vmnet_Db02Publ1cNet01')!.speedProfileId = 'nsp_10GbpsProfile001';
    expect(() => demoHistory(moved, START, 'session-1', 'demo:session-1')).toThrow(/not on 100mbps now/);
  });

  it('gives each session its own colleagues and task ids', () => {
    const other = demoHistory(seed(), START, 'session-2', 'demo:session-2');
    expect(other.map((c) => c.taskId)).not.toEqual(history.map((c) => c.taskId));
    expect(colleaguesOf('session-1')).toHaveLength(4);
    expect(new Set(colleaguesOf('session-1')).size).toBe(4);
  });
});

describe.each(DATABASE_KINDS)('the demo history in the audit store on %s', (kind) => {
  const open: AuditStore[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });

  it('is written with its own dates once per scope, and lists as ended changes, change back only where true', async () => {
    const store = await openAuditStore(await freshAuditConfig(kind), { now: () => START });
    open.push(store);
    const history = demoHistory(seed(), START, 'session-1', 'demo:session-1');
    expect(await store.recordDemoHistory('demo:session-1', history)).toBe(history.length);
    expect(await store.recordDemoHistory('demo:session-1', history)).toBe(0);

    const { entries } = await store.list({}, { limit: 100 }, { lockScope: 'demo:session-1' });
    expect(entries).toHaveLength(history.length);
    expect(entries.map((e) => e.at)).toEqual(history.map((c) => c.at.toISOString()).reverse());
    expect(entries.every((e) => !e.blocking && !e.expired && e.ended_at !== null)).toBe(true);
    // Change back: each interface's newest completed change, and no other.
    const backs = entries.filter((e) => e.can_change_back).map((e) => `${e.interface_id} ${e.from_profile?.name} → ${e.to_profile.name}`);
    expect(backs.sort()).toEqual([
      'vmnet_Db02Publ1cNet01 250 Mbps → 100 Mbps',
      'vmnet_Leg4cy03Net0001 100 Mbps → 250 Mbps',
      'vmnet_N0Ips05Public01 100 Mbps → 500 Mbps',
      'vmnet_W3b01Priv4teLan1 2.5 Gbps → 10 Gbps',
    ]);
    // Filters by date find them: yesterday's (in UTC) alone.
    const yesterday = await store.list({ from: '2026-12-06T00:00:00.000Z', to: '2026-12-06T23:59:59.999Z' }, { limit: 100 }, { lockScope: 'demo:session-1' });
    expect(yesterday.entries.length).toBeGreaterThan(0);
    expect(yesterday.entries.every((e) => e.at.startsWith('2026-12-06'))).toBe(true);
    // Other scopes and live mode's own list see none of another scope's history.
    expect((await store.list({}, { limit: 100 }, { lockScope: 'demo:session-2' })).entries).toEqual([]);
    // Nothing is left to follow.
    expect(await store.countFollowed()).toBe(0);
  });

  it('writes nothing for a scope that already has records', async () => {
    const store = await openAuditStore(await freshAuditConfig(kind), { now: () => START });
    open.push(store);
    await store.recordRefusal(
      { user: 'demo-user-otter-3f', interfaceId: 'vmnet_olNAz8ThH0emHvdr', fromSource: 'panel', toProfile: { permalink: '10gbps' }, lockScope: 'demo:s' },
      'change_not_permitted',
    );
    expect(await store.recordDemoHistory('demo:s', demoHistory(seed(), START, 's', 'demo:s'))).toBe(0);
    expect((await store.list({}, { limit: 100 }, { lockScope: 'demo:s' })).entries).toHaveLength(1);
  });
});

describe('the hook that writes a new demo scope’s history', () => {
  const request = (url: string, session: string) => ({ url, headers: { cookie: `katapult-mock-session=${session}` } }) as unknown as FastifyRequest;
  const setUp = (fail: () => boolean, data = seed()) => {
    const writes: string[] = [];
    const warnings: string[] = [];
    const store = {
      now: () => START,
      recordDemoHistory: async (scope: string, changes: readonly PastChange[]) => {
        if (fail()) throw new Error('database down');
        writes.push(`${scope}:${changes.length}`);
        return changes.length;
      },
    } as unknown as AuditStore;
    const hook = demoHistoryHook({
      store,
      sessionOf: (c) => c?.split('=')[1] ?? 'default',
      scopeOf: (c) => `demo:${c?.split('=')[1] ?? 'default'}`,
      dataOf: () => data,
      log: { warn: (_: object, msg: string) => void warnings.push(msg) },
    });
    return { hook, writes, warnings };
  };

  it('writes once per scope, on the panel’s API only, and again after a database failure', async () => {
    let down = true;
    const { hook, writes, warnings } = setUp(() => down);
    await hook(request('/index.html', 'a'));
    expect(writes).toEqual([]);
    await hook(request('/api/panel/audit', 'a'));
    expect(writes).toEqual([]);
    expect(warnings).toEqual(['demo history: not written']);
    down = false;
    await Promise.all([hook(request('/api/panel/audit', 'a')), hook(request('/api/panel/me', 'a'))]);
    await hook(request('/api/panel/audit', 'b'));
    await hook(request('/api/panel/audit', 'a'));
    expect(writes.map((w) => w.split(':').slice(0, 2).join(':'))).toEqual(['demo:a', 'demo:b']);
  });

  it('writes nothing, once, for a session whose data no longer matches the history', async () => {
    const moved = seed();
    moved.interfaces.find((i) => i.id === 'vmnet_Leg4cy03Net0001')!.speedProfileId = 'nsp_10GbpsProfile001';
    const { hook, writes, warnings } = setUp(() => false, moved);
    await hook(request('/api/panel/audit', 'a'));
    await hook(request('/api/panel/audit', 'a'));
    expect(writes).toEqual([]);
    expect(warnings).toHaveLength(1);
  });
});
