import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { freshAuditConfig } from '../testing/databases.ts';
import { createChangeFeed, type ChangeFeed } from './feed.ts';

/** What a feed's listener heard, and a way to wait until it has heard `n` ids (no timers). */
function hear(feed: ChangeFeed) {
  const ids: string[] = [];
  let gaps = 0;
  const waiting: { n: number; gaps: number; resolve: () => void }[] = [];
  const check = () => {
    for (const w of waiting.splice(0)) {
      if (ids.length >= w.n && gaps >= w.gaps) w.resolve();
      else waiting.push(w);
    }
  };
  const off = feed.subscribe(
    (id) => (ids.push(id), check()),
    () => (gaps++, check()),
  );
  return {
    ids,
    off,
    gaps: () => gaps,
    heard: (n: number, minGaps = 0) => new Promise<void>((resolve) => (waiting.push({ n, gaps: minGaps, resolve }), check())),
  };
}

const feeds: ChangeFeed[] = [];
afterEach(async () => {
  await Promise.all(feeds.splice(0).map((f) => f.close()));
});

describe('the change feed on SQLite (one server: in the process)', () => {
  it('tells every listener of each id published, once, until it unsubscribes', async () => {
    const feed = await createChangeFeed(await freshAuditConfig('sqlite'));
    feeds.push(feed);
    const a = hear(feed);
    const b = hear(feed);
    feed.publish('aud_1');
    await Promise.all([a.heard(1), b.heard(1)]);
    b.off();
    feed.publish('aud_2');
    await a.heard(2);
    expect(a.ids).toEqual(['aud_1', 'aud_2']);
    expect(b.ids).toEqual(['aud_1']);
  });
});

describe('the change feed on PostgreSQL (LISTEN/NOTIFY between servers)', () => {
  it('delivers an id published by one server to both, once each, the publisher through LISTEN too', async () => {
    const config = await freshAuditConfig('postgres');
    const one = await createChangeFeed(config);
    const two = await createChangeFeed(config);
    feeds.push(one, two);
    const onOne = hear(one);
    const onTwo = hear(two);
    one.publish('aud_from_one');
    two.publish('aud_from_two');
    // Notifications of one session arrive in order: the second id heard means the first would have been heard twice by now.
    one.publish('aud_last');
    await Promise.all([onOne.heard(3), onTwo.heard(3)]);
    for (const heard of [onOne, onTwo]) expect([...heard.ids].sort()).toEqual(['aud_from_one', 'aud_from_two', 'aud_last']);
  });

  it('listens again after its connection is cut, says there was a gap, and hears the ids published after', async () => {
    const config = await freshAuditConfig('postgres');
    const feed = await createChangeFeed(config, { maxReconnectMs: 200 });
    feeds.push(feed);
    const heard = hear(feed);
    feed.publish('aud_before');
    await heard.heard(1);

    const admin = new pg.Client({ connectionString: config.databaseUrl });
    await admin.connect();
    try {
      const cut = await admin.query<{ pid: number }>(
        "select pg_terminate_backend(pid) as pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and query ilike 'listen%'",
      );
      expect(cut.rowCount).toBe(1);
    } finally {
      await admin.end();
    }
    await heard.heard(1, 1);
    feed.publish('aud_after');
    await heard.heard(2, 1);
    expect(heard.ids).toEqual(['aud_before', 'aud_after']);
    expect(heard.gaps()).toBe(1);
  });
});
