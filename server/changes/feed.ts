/**
 * The change feed: "this audit record was just written", told to every server that shares the audit
 * database, so each can push the record to the panels connected to it (plugins/events.ts).
 *
 * SQLite has one server, so the feed is an in-process emitter. PostgreSQL has any number: publish is
 * `pg_notify('panel_changes', id)`, and each server hears every event, its own included, through one
 * dedicated connection that LISTENs (so an event is delivered once, however it was published). Only
 * the record's id travels; listeners read the record itself, as the database has it when they ask.
 */
import { EventEmitter } from 'node:events';
import pg from 'pg';
import type { AuditConfig } from '../audit/config.ts';

export const CHANGES_CHANNEL = 'panel_changes';

export interface ChangeFeed {
  /** Tells every listener (of every server, with PostgreSQL) that the record `id` was written. */
  publish(id: string): void;
  /**
   * Hears each published id. `onGap` is called after the feed was deaf for a while (its PostgreSQL
   * connection dropped and came back): events of that time were lost, and a listener that must not
   * miss any reads what changed meanwhile. Returns the unsubscribe function.
   */
  subscribe(listener: (id: string) => void, onGap?: () => void): () => void;
  close(): Promise<void>;
}

export interface ChangeFeedOptions {
  /** Where a failure that has no caller to throw to is told (a lost connection, a failed publish). */
  onError?: ((err: unknown, what: string) => void) | undefined;
  /** The longest wait between two attempts to listen again. */
  maxReconnectMs?: number | undefined;
}

/** Each open stream is a listener: more than Node's default of 10 is expected, not a leak. */
function emitter() {
  const e = new EventEmitter();
  e.setMaxListeners(0);
  return e;
}

function subscribeTo(events: EventEmitter) {
  return (listener: (id: string) => void, onGap?: () => void) => {
    events.on('change', listener);
    if (onGap) events.on('gap', onGap);
    return () => {
      events.off('change', listener);
      if (onGap) events.off('gap', onGap);
    };
  };
}

export function createLocalFeed(): ChangeFeed {
  const events = emitter();
  return {
    // After the writer's own turn: a listener's read never runs inside the write that published.
    publish: (id) => queueMicrotask(() => events.emit('change', id)),
    subscribe: subscribeTo(events),
    close: async () => void events.removeAllListeners(),
  };
}

/** PostgreSQL: NOTIFY to publish, one LISTENing connection (reconnected when it drops) to hear. */
export async function createPostgresFeed(databaseUrl: string, opts: ChangeFeedOptions = {}): Promise<ChangeFeed> {
  const events = emitter();
  const onError = opts.onError ?? (() => {});
  const maxReconnectMs = opts.maxReconnectMs ?? 5000;
  // Publishing on a connection apart from the listener (a publish never waits on a reconnect); one, so ids go out in order.
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  pool.on('error', (e) => onError(e, 'change feed: publishing connection'));
  let closed = false;
  let listener: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;

  const listen = async () => {
    const client = new pg.Client({ connectionString: databaseUrl });
    client.on('notification', (m) => {
      if (m.channel === CHANGES_CHANNEL && m.payload) events.emit('change', m.payload);
    });
    await client.connect();
    try {
      await client.query(`listen ${CHANGES_CHANNEL}`);
    } catch (e) {
      await client.end().catch(() => {});
      throw e;
    }
    return client;
  };

  const reconnect = (attempt: number) => {
    if (closed) return;
    const wait = Math.min(maxReconnectMs, 100 * 2 ** attempt);
    retry = setTimeout(() => {
      listen().then(
        (client) => {
          if (closed) return void client.end().catch(() => {});
          watch(client);
          events.emit('gap');
        },
        (e: unknown) => {
          onError(e, 'change feed: listening again failed');
          reconnect(attempt + 1);
        },
      );
    }, wait);
    retry.unref();
  };

  const watch = (client: pg.Client) => {
    listener = client;
    let lost = false;
    const drop = (e?: unknown) => {
      if (lost || closed) return;
      lost = true;
      if (e) onError(e, 'change feed: the listening connection dropped');
      listener = undefined;
      client.end().catch(() => {});
      reconnect(0);
    };
    client.on('error', drop);
    client.on('end', () => drop());
  };

  watch(await listen());

  return {
    publish(id) {
      if (closed) return;
      pool.query('select pg_notify($1, $2)', [CHANGES_CHANNEL, id]).catch((e: unknown) => onError(e, 'change feed: publish failed'));
    },
    subscribe: subscribeTo(events),
    async close() {
      closed = true;
      clearTimeout(retry);
      events.removeAllListeners();
      await Promise.allSettled([listener?.end(), pool.end()]);
    },
  };
}

/** The feed for the audit log's database: in the process with SQLite, LISTEN/NOTIFY with PostgreSQL. */
export async function createChangeFeed(config: AuditConfig, opts: ChangeFeedOptions = {}): Promise<ChangeFeed> {
  if (config.kind === 'postgres' && config.databaseUrl) return createPostgresFeed(config.databaseUrl, opts);
  return createLocalFeed();
}
