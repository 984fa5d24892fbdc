import { describe, expect, it } from 'vitest';
import { DEMO } from './seed.ts';
import { getDb, MockDb, sessionCookie, sessionFromCookie } from './db.ts';

const TEN_GBPS = 'nsp_10GbpsProfile001';
const profileOf = (db: MockDb, id: string) => db.data.interfaces.find((i) => i.id === id)?.speedProfileId;

describe('the mock’s manual task clock', () => {
  it('keeps a task running until the clock is moved past its end, then applies the change once', () => {
    const db = new MockDb({ taskClock: 'manual', taskDurationMs: 4000 });
    const task = db.createTask(DEMO.interface, TEN_GBPS);
    expect(db.taskView(task).status).toBe('pending');
    db.advance(1000);
    expect(db.taskView(task).status).toBe('running');
    expect(profileOf(db, DEMO.interface)).toBe('nsp_H3Mknnus3dtDIbIc');
    db.advance(3000);
    expect(db.taskView(task).status).toBe('completed');
    expect(profileOf(db, DEMO.interface)).toBe(TEN_GBPS);
  });

  it('starts from the real time when switched on, so tasks made before it are not thrown back', () => {
    const db = new MockDb({ taskDurationMs: 60_000 });
    db.setConfig({ taskClock: 'manual' });
    const before = Date.now();
    expect(db.now()).toBeGreaterThanOrEqual(before - 1000);
    expect(db.now()).toBeLessThanOrEqual(Date.now());
  });
});

describe('the demo data', () => {
  it('fails every speed change on the failing VM, and only there', () => {
    const db = new MockDb({ taskClock: 'manual', taskDurationMs: 1000 });
    const failing = db.data.interfaces.find((i) => i.vmId === DEMO.failingVm)!;
    const bad = db.createTask(failing.id, TEN_GBPS);
    const good = db.createTask(DEMO.interface, TEN_GBPS);
    db.advance(1000);
    expect(db.taskView(bad).status).toBe('failed');
    expect(db.taskView(good).status).toBe('completed');
    expect(profileOf(db, failing.id)).toBe('nsp_H3Mknnus3dtDIbIc');
  });

  it('has an interface whose IP address list is empty, not left out', () => {
    const db = new MockDb();
    expect(db.data.interfaces.find((i) => i.vmId === DEMO.noIpsVm)?.ips).toEqual([]);
  });
});

describe('the demo sessions', () => {
  it('keeps a session in use through 510 new visitors: the least recently used session goes, not the oldest', () => {
    const active = `active-${Date.now()}`;
    getDb(active).data.interfaces[0]!.speedProfileId = 'nsp_changedByActive';
    for (let i = 0; i < 510; i++) {
      getDb(`visitor-${Date.now()}-${i}`);
      // The active browser keeps working while the visitors arrive.
      if (i % 100 === 99) expect(getDb(active).data.interfaces[0]!.speedProfileId).toBe('nsp_changedByActive');
    }
    expect(getDb(active).data.interfaces[0]!.speedProfileId).toBe('nsp_changedByActive');
  });

  it('reads the session cookie once, decoded as cookie libraries do', () => {
    expect(sessionFromCookie('a=1; katapult-mock-session=%64ave; b=2')).toBe('dave');
    expect(sessionFromCookie('katapult-mock-session="dave"')).toBe('dave');
    expect(sessionFromCookie('katapult-mock-session=dave; katapult-mock-session=eve')).toBe('dave');
    expect(sessionFromCookie('katapult-mock-session=%E0%A4%A')).toBe('%E0%A4%A');
    expect(sessionFromCookie('xkatapult-mock-session=dave')).toBeUndefined();
    expect(sessionFromCookie('katapult-mock-session=')).toBeUndefined();
    expect(sessionFromCookie(undefined)).toBeUndefined();
    // The follower's cookie for a session reads back as that session, whatever it holds.
    for (const s of ['dave', 'a;b', '%E0%A4%A', 'x=y "z"']) expect(sessionFromCookie(sessionCookie(s))).toBe(s);
  });
});
