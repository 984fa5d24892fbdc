import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_KINDS, freshAuditConfig } from '../testing/databases.ts';
import { sql } from 'kysely';
import { csvCell } from './csv.ts';
import { openDatabase } from './db.ts';
import { AuditFilterError, parseCsvQuery, parseListQuery } from './filters.ts';
import { testClock } from '../test-support.ts';
import { openAuditStore, type AuditStore, type ChangeRecord } from './store.ts';

const change = (over: Partial<ChangeRecord> = {}): ChangeRecord => ({
  user: 'ann@example.com',
  interfaceId: 'vmnet_olNAz8ThH0emHvdr',
  vm: { id: 'vm_t8yomYsG4bccKw5D', name: 'Bitter Mango' },
  network: { id: 'netw_zDW7KYAeqqfRfVag', name: 'Public' },
  fromProfile: { id: 'nsp_100', name: '100 Mbps' },
  fromSource: 'katapult',
  toProfile: { permalink: '1gbps', name: '1 Gbps' },
  ...over,
});

const clock = (start = '2026-12-01T09:00:00.000Z') => testClock(start);

describe.each(DATABASE_KINDS)('the audit store on %s', (kind) => {
  const open: AuditStore[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });
  const store = async (c = clock(), over: Parameters<typeof freshAuditConfig>[1] = {}) => {
    const s = await openAuditStore(await freshAuditConfig(kind, over), { now: c.now });
    open.push(s);
    return s;
  };

  it('records a change as pending, then its task, then the task’s end', async () => {
    const c = clock();
    const s = await store(c);
    const id = await s.recordChange(change());
    expect(id).toMatch(/^aud_[0-9A-Za-z]{16}$/);
    let [e] = (await s.list({}, { limit: 25 })).entries;
    expect(e).toMatchObject({
      id,
      at: '2026-12-01T09:00:00.000Z',
      user: 'ann@example.com',
      vm: { id: 'vm_t8yomYsG4bccKw5D', name: 'Bitter Mango' },
      interface_id: 'vmnet_olNAz8ThH0emHvdr',
      network: { id: 'netw_zDW7KYAeqqfRfVag', name: 'Public' },
      from_profile: { id: 'nsp_100', name: '100 Mbps' },
      from_source: 'katapult',
      to_profile: { id: null, permalink: '1gbps', name: '1 Gbps' },
      outcome: 'pending',
      task_id: null,
      last_seen_at: null,
      ended_at: null,
    });
    c.tick(1000);
    await s.recordAnswer(id, { taskId: 'task_A', status: 'pending' });
    c.tick(1000);
    await s.recordTaskState('task_A', 'running');
    [e] = (await s.list({}, { limit: 25 })).entries;
    expect(e).toMatchObject({ outcome: 'running', task_id: 'task_A', last_seen_at: '2026-12-01T09:00:02.000Z', ended_at: null });
    c.tick(1000);
    await s.recordTaskState('task_A', 'completed');
    c.tick(1000);
    // A late answer never reopens an ended record.
    await s.recordTaskState('task_A', 'running');
    [e] = (await s.list({}, { limit: 25 })).entries;
    expect(e).toMatchObject({ outcome: 'completed', ended_at: '2026-12-01T09:00:03.000Z' });
  });

  it('changes a task’s open records in one statement and tells the feed exactly those, never an ended one', async () => {
    const c = clock();
    const published: string[] = [];
    const s = await openAuditStore(await freshAuditConfig(kind), { now: c.now, feed: { publish: (id) => void published.push(id) } });
    open.push(s);
    const a = await s.recordChange(change({ interfaceId: 'vmnet_A' }));
    const b = await s.recordChange(change({ interfaceId: 'vmnet_B' }));
    await s.recordAnswer(a, { taskId: 'task_Shared', status: 'pending' });
    // Another record of the same task that has already ended: a task answer does not touch it.
    await s.recordAnswer(b, { taskId: 'task_Shared', status: 'failed' });
    published.length = 0;
    c.tick(1000);
    await s.recordTaskState('task_Shared', 'running', { json: '{"task":{"id":"task_Shared","status":"running","progress":30}}', progress: 30 });
    expect(published).toEqual([a]);
    await s.recordTaskState('task_Shared', 'completed');
    expect(published).toEqual([a, a]);
    // Nothing left open: nothing changes and nothing is told.
    await s.recordTaskState('task_Shared', 'running');
    expect(published).toEqual([a, a]);
    const byId = new Map((await s.list({}, { limit: 25 })).entries.map((e) => [e.id, e]));
    expect(byId.get(a)).toMatchObject({ outcome: 'completed', task_progress: 30, ended_at: '2026-12-01T09:00:01.000Z' });
    expect(byId.get(b)).toMatchObject({ outcome: 'failed', task_progress: null, ended_at: '2026-12-01T09:00:00.000Z' });
  });

  it('says when the follower next has a look to take: a claimable change’s, or when another server’s lease runs out', async () => {
    const c = clock();
    const s = await store(c);
    expect(await s.nextDue('me')).toBeUndefined();
    const a = await s.recordChange(change({ interfaceId: 'vmnet_A' }));
    await s.recordAnswer(a, { taskId: 'task_A', status: 'pending', nextAt: new Date('2026-12-01T09:00:01.000Z') });
    expect((await s.nextDue('me'))?.toISOString()).toBe('2026-12-01T09:00:01.000Z');
    // Another server claims it: its lease (15 s) holds the change until it runs out.
    c.tick(1000);
    expect((await s.claimDue('other', 15_000, 25)).map((f) => f.id)).toEqual([a]);
    expect((await s.nextDue('me'))?.toISOString()).toBe('2026-12-01T09:00:16.000Z');
    expect((await s.nextDue('other'))?.toISOString()).toBe('2026-12-01T09:00:01.000Z');
    await s.recordTaskState('task_A', 'completed');
    expect(await s.nextDue('me')).toBeUndefined();
  });

  it('migrates a log written before the change lock: its open changes hold nothing and read as never seen to end', async () => {
    const config = await freshAuditConfig(kind);
    const old = await openDatabase(config, '2026-12-01-001-audit-log');
    for (const id of ['aud_0000000100000001', 'aud_0000000100000002']) {
      // Two open changes of one interface, which the old log allowed.
      await sql`insert into audit_log (id, at, "user", interface_id, from_source, outcome, last_seen_at)
        values (${id}, ${'2026-12-01T08:00:00.000Z'}, ${'ann'}, ${'vmnet_olNAz8ThH0emHvdr'}, ${'panel'}, ${'running'}, ${'2026-12-01T08:01:00.000Z'})`.execute(old);
    }
    await old.destroy();
    const s = await store(clock(), { sqlitePath: config.sqlitePath, databaseUrl: config.databaseUrl });
    const entries = (await s.list({}, { limit: 25 })).entries;
    expect(entries.map((e) => [e.outcome, e.blocking, e.expired, e.expired_at])).toEqual([
      ['running', false, true, '2026-12-01T08:16:00.000Z'],
      ['running', false, true, '2026-12-01T08:16:00.000Z'],
    ]);
    const id = await s.recordChange(change());
    await s.recordAnswer(id, { errorCode: 'speed_profile_already_assigned' });
    expect((await s.list({ outcome: 'already_assigned' }, { limit: 25 })).entries.map((e) => e.id)).toEqual([id]);
  });

  it('records an error answer as rejected with its code', async () => {
    const s = await store();
    const id = await s.recordChange(change({ fromSource: 'panel', fromProfile: undefined }));
    await s.recordAnswer(id, { errorCode: 'network_speed_profile_not_found' });
    const [e] = (await s.list({}, { limit: 25 })).entries;
    expect(e).toMatchObject({ outcome: 'rejected', error_code: 'network_speed_profile_not_found', from_profile: null, from_source: 'panel' });
  });

  it('records speed_profile_already_assigned as already_assigned, which does not hold the interface', async () => {
    const s = await store();
    const id = await s.recordChange(change());
    await s.recordAnswer(id, { errorCode: 'speed_profile_already_assigned' });
    const [e] = (await s.list({}, { limit: 25 })).entries;
    expect(e).toMatchObject({ outcome: 'already_assigned', error_code: 'speed_profile_already_assigned', blocking: false, expired: false });
    await expect(s.recordChange(change())).resolves.toMatch(/^aud_/);
  });

  it('lists newest first in cursor pages that neither skip nor repeat a record', async () => {
    const c = clock();
    const s = await store(c);
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      ids.push(await s.recordChange(change({ interfaceId: `vmnet_${i}` })));
      // Two records share each millisecond: the id breaks the tie.
      if (i % 2 === 1) c.tick(1);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const q: Record<string, string> = { limit: '3', ...(cursor ? { cursor } : {}) };
      const { filters, page } = parseListQuery(q);
      const r = await s.list(filters, page);
      expect(r.entries.length).toBeLessThanOrEqual(3);
      seen.push(...r.entries.map((e) => e.id));
      cursor = r.next_cursor;
    } while (cursor);
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
    const all = (await s.list({}, { limit: 100 })).entries;
    expect(seen).toEqual(all.map((e) => e.id));
    const ats = all.map((e) => e.at);
    expect([...ats].sort().reverse()).toEqual(ats);
  });

  it('filters by VM id or name, interface, user, outcome and date range', async () => {
    const c = clock('2026-11-30T23:59:59.999Z');
    const s = await store(c);
    const a = await s.recordChange(change({ vm: { id: 'vm_A', name: 'Web 100%_front' }, user: 'ann' }));
    c.set('2026-12-01T00:00:00.000Z');
    const b = await s.recordChange(change({ vm: { id: 'vm_B', name: 'db' }, interfaceId: 'vmnet_B', user: 'bob' }));
    await s.recordAnswer(b, { taskId: 'task_B' });
    c.set('2026-12-02T00:00:00.000Z');
    const d = await s.recordChange(change({ vm: { id: 'vm_B', name: 'db' }, interfaceId: 'vmnet_B', user: 'bob' }));
    await s.recordAnswer(d, { errorCode: 'task_queueing_error' });
    const ids = async (q: Record<string, string>) => {
      const { filters, page } = parseListQuery(q);
      return (await s.list(filters, page)).entries.map((e) => e.id);
    };
    expect(await ids({ vm: 'vm_B' })).toEqual([d, b]);
    expect(await ids({ vm: 'WEB 100%_F' })).toEqual([a]);
    // % and _ are literal characters in a name filter, not wildcards.
    expect(await ids({ vm: 'b%_f' })).toEqual([]);
    expect(await ids({ interface: 'vmnet_B' })).toEqual([d, b]);
    expect(await ids({ user: 'ann' })).toEqual([a]);
    expect(await ids({ outcome: 'rejected' })).toEqual([d]);
    expect(await ids({ outcome: 'not_seen' })).toEqual([b, a]);
    expect(await ids({ from: '2026-12-01', to: '2026-12-01' })).toEqual([b]);
    expect(await ids({ to: '2026-11-30' })).toEqual([a]);
    expect(await ids({ from: '2026-12-01T01:00:00+01:00' })).toEqual([d, b]);
  });

  it('deletes records older than the retention and keeps the rest', async () => {
    const c = clock('2025-01-01T00:00:00.000Z');
    const s = await store(c, { retentionDays: 30 });
    await s.recordChange(change());
    c.set('2025-01-20T00:00:00.000Z');
    const kept = await s.recordChange(change());
    c.set('2025-02-05T00:00:00.000Z');
    expect(await s.prune()).toBe(1);
    expect((await s.list({}, { limit: 25 })).entries.map((e) => e.id)).toEqual([kept]);
  });

  it('streams every filtered row for the export, past one page', async () => {
    const c = clock();
    const s = await store(c);
    for (let i = 0; i < 520; i++) {
      await s.recordChange(change({ interfaceId: `vmnet_${i}` }));
      c.tick(1);
    }
    let n = 0;
    let last = '9999';
    for await (const e of s.all({})) {
      expect(e.at <= last).toBe(true);
      last = e.at;
      n++;
    }
    expect(n).toBe(520);
  });

  it('runs its migrations again on a database that already has them', async () => {
    const config = await freshAuditConfig(kind);
    const first = await openAuditStore(config);
    await first.recordChange(change());
    await first.close();
    const again = await openAuditStore(config);
    open.push(again);
    expect((await again.list({}, { limit: 25 })).entries).toHaveLength(1);
  });
});

describe('audit filters', () => {
  const bad = (q: Record<string, string | string[]>) => {
    try {
      parseListQuery(q);
    } catch (e) {
      if (e instanceof AuditFilterError) return { parameter: e.parameter, message: e.message };
      throw e;
    }
    throw new Error('accepted');
  };

  it('names the parameter that is wrong', () => {
    expect(bad({ from: 'yesterday' })).toMatchObject({ parameter: 'from', message: expect.stringContaining('ISO 8601') });
    expect(bad({ to: '2026-02-30' }).parameter).toBe('to');
    expect(bad({ outcome: 'done' })).toMatchObject({ parameter: 'outcome', message: expect.stringContaining('not_seen') });
    expect(bad({ limit: '0' }).parameter).toBe('limit');
    expect(bad({ limit: '101' }).parameter).toBe('limit');
    expect(bad({ limit: 'ten' }).parameter).toBe('limit');
    expect(bad({ cursor: 'abc' }).parameter).toBe('cursor');
    expect(bad({ from: '2026-12-02', to: '2026-12-01' }).parameter).toBe('to');
    expect(bad({ colour: 'red' }).parameter).toBe('colour');
    expect(bad({ user: ['a', 'b'] }).parameter).toBe('user');
  });

  it('treats an empty parameter as no filter and gives the defaults', () => {
    expect(parseListQuery({ vm: '', outcome: '' })).toEqual({ filters: {}, page: { limit: 25 } });
    expect(parseCsvQuery({ to: '2026-12-01' })).toEqual({ to: '2026-12-01T23:59:59.999Z' });
  });

  it('does not take paging parameters for the CSV export', () => {
    expect(() => parseCsvQuery({ limit: '5' })).toThrow(AuditFilterError);
  });
});

describe('CSV cells', () => {
  it('quotes every cell and neutralises spreadsheet formulas', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('+1')).toBe(`"'+1"`);
    expect(csvCell('-1')).toBe(`"'-1"`);
    expect(csvCell('@SUM(A1)')).toBe(`"'@SUM(A1)"`);
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
    expect(csvCell(null)).toBe('""');
    expect(csvCell('plain')).toBe('"plain"');
  });

  it('neutralises a formula at the start of any ;- or tab-separated part, for spreadsheets that split there', () => {
    expect(csvCell('x;=1+1;')).toBe(`"x;'=1+1;"`);
    expect(csvCell('a;+b;-c;@d')).toBe(`"a;'+b;'-c;'@d"`);
    expect(csvCell('a\t=b')).toBe(`"a\t'=b"`);
    expect(csvCell('\t=b')).toBe(`"'\t'=b"`);
    expect(csvCell('a;b')).toBe('"a;b"');
    expect(csvCell('a=b;c-d')).toBe('"a=b;c-d"');
  });
});
