import { describe, expect, it } from 'vitest';
import { DEMO } from './seed.ts';
import { MockDb } from './db.ts';

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
