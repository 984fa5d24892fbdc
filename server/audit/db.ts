/**
 * One query layer for both databases (Kysely): better-sqlite3 in WAL mode for the embedded file,
 * a pg Pool for PostgreSQL. Migrations live in code and run on every start (idempotent; Kysely's
 * migrator takes a lock, so servers sharing one PostgreSQL can start together).
 */
import Database from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, sql, SqliteDialect, type Migration } from 'kysely';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import pg from 'pg';
import { AUDIT_OUTCOMES, type AuditOutcome } from '../../protocol/audit.ts';
import type { AuditConfig } from './config.ts';

export const OUTCOMES = AUDIT_OUTCOMES;
export type Outcome = AuditOutcome;

/**
 * Timestamps are ISO 8601 UTC strings with milliseconds on the way in (`toISOString()`): text in
 * SQLite (sorts and compares correctly as text), timestamptz in PostgreSQL (pg reads it back as a Date).
 */
export type Timestamp = string | Date;

export interface AuditTable {
  id: string;
  at: Timestamp;
  user: string;
  vm_id: string | null;
  vm_name: string | null;
  interface_id: string;
  network_id: string | null;
  network_name: string | null;
  from_profile_id: string | null;
  from_profile_name: string | null;
  from_source: 'katapult' | 'panel';
  to_profile_id: string | null;
  to_profile_permalink: string | null;
  to_profile_name: string | null;
  outcome: Outcome;
  task_id: string | null;
  error_code: string | null;
  last_seen_at: Timestamp | null;
  ended_at: Timestamp | null;
  /**
   * Set while the change holds its interface's lock (the interface id, with the demo session when
   * there is one), null once it ended or was retired. Unique among non-null values: the database,
   * not the application, lets only one change per interface in.
   */
  lock_key: string | null;
  /** When a later change retired this one's lock because its task had not been seen for CHANGE_LOCK_MINUTES. */
  lock_expired_at: Timestamp | null;
  /** Demo mode: the browser's mock session the change belongs to (each browser sees only its own); null in live mode. */
  scope: string | null;
  /** Every write to the record sets it: the live feed's order, and where a reconnecting stream resumes. */
  updated_at: Timestamp | null;
  /** The task as Katapult last answered it (JSON), kept so that every viewer is answered without a call. */
  task_json: string | null;
  task_progress: number | null;
  /** The server process following the change, and until when its lease holds (renewed at each look). */
  follow_owner: string | null;
  follow_until: Timestamp | null;
  /** When the follower next looks at the change; null once nothing is left to follow. */
  follow_next_at: Timestamp | null;
  /** Failed looks in a row (backoff). */
  follow_errors: number;
  /** The HTTP status and Retry-After of the last task answer (`task_json` is its body): viewers get what the follower got. */
  task_answer_status: number | null;
  task_retry_after: string | null;
  /** After a 429, the least time between looks that the token's rate limit allows (0: none seen). */
  follow_min_interval_ms: number;
}

export interface AuditDatabase {
  audit_log: AuditTable;
}

/** How long a writer waits for SQLite's lock before the change is refused as audit_unavailable. */
export const SQLITE_BUSY_TIMEOUT_MS = 2000;

function migrations(kind: AuditConfig['kind']): Record<string, Migration> {
  const ts = kind === 'postgres' ? 'timestamptz' : 'text';
  return {
    '2026-12-01-001-audit-log': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('audit_log')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('at', ts, (c) => c.notNull())
          .addColumn('user', 'text', (c) => c.notNull())
          .addColumn('vm_id', 'text')
          .addColumn('vm_name', 'text')
          .addColumn('interface_id', 'text', (c) => c.notNull())
          .addColumn('network_id', 'text')
          .addColumn('network_name', 'text')
          .addColumn('from_profile_id', 'text')
          .addColumn('from_profile_name', 'text')
          .addColumn('from_source', 'text', (c) => c.notNull().check(sql`from_source in ('katapult', 'panel')`))
          .addColumn('to_profile_id', 'text')
          .addColumn('to_profile_permalink', 'text')
          .addColumn('to_profile_name', 'text')
          .addColumn('outcome', 'text', (c) =>
            c.notNull().check(sql`outcome in ('pending', 'running', 'completed', 'failed', 'rejected')`),
          )
          .addColumn('task_id', 'text')
          .addColumn('error_code', 'text')
          .addColumn('last_seen_at', ts)
          .addColumn('ended_at', ts)
          .execute();
        // The list is read newest first, often for one interface; tasks are found by id.
        await db.schema.createIndex('audit_log_at_id').on('audit_log').columns(['at', 'id']).execute();
        await db.schema.createIndex('audit_log_interface_at').on('audit_log').columns(['interface_id', 'at']).execute();
        await db.schema.createIndex('audit_log_task').on('audit_log').column('task_id').execute();
      },
      async down(db: Kysely<unknown>) {
        await db.schema.dropTable('audit_log').execute();
      },
    },
    '2026-12-04-001-change-lock': {
      // Records from before this migration hold no lock (lock_key null), so existing data, even with
      // two open changes of one interface, never violates the new index.
      async up(db: Kysely<unknown>) {
        const outcomes = sql.raw(OUTCOMES.map((o) => `'${o}'`).join(', '));
        if (kind === 'postgres') {
          await sql`alter table audit_log add column lock_key text, add column lock_expired_at timestamptz`.execute(db);
          await sql`alter table audit_log drop constraint audit_log_outcome_check`.execute(db);
          await sql`alter table audit_log add constraint audit_log_outcome_check check (outcome in (${outcomes}))`.execute(db);
          await sql`create unique index audit_log_change_lock on audit_log (lock_key) where lock_key is not null`.execute(db);
          return;
        }
        // SQLite cannot alter a CHECK constraint: the table is rebuilt, in one transaction.
        await db.transaction().execute(async (tx) => {
          const columns = sql.raw(
            'id, at, "user", vm_id, vm_name, interface_id, network_id, network_name, from_profile_id, from_profile_name, from_source, to_profile_id, to_profile_permalink, to_profile_name, outcome, task_id, error_code, last_seen_at, ended_at',
          );
          await sql`create table audit_log_next (
            id text primary key, at text not null, "user" text not null, vm_id text, vm_name text,
            interface_id text not null, network_id text, network_name text, from_profile_id text, from_profile_name text,
            from_source text not null check (from_source in ('katapult', 'panel')),
            to_profile_id text, to_profile_permalink text, to_profile_name text,
            outcome text not null check (outcome in (${outcomes})),
            task_id text, error_code text, last_seen_at text, ended_at text, lock_key text, lock_expired_at text
          )`.execute(tx);
          await sql`insert into audit_log_next (${columns}) select ${columns} from audit_log`.execute(tx);
          await sql`drop table audit_log`.execute(tx);
          await sql`alter table audit_log_next rename to audit_log`.execute(tx);
          await sql`create index audit_log_at_id on audit_log (at, id)`.execute(tx);
          await sql`create index audit_log_interface_at on audit_log (interface_id, at)`.execute(tx);
          await sql`create index audit_log_task on audit_log (task_id)`.execute(tx);
          await sql`create unique index audit_log_change_lock on audit_log (lock_key) where lock_key is not null`.execute(tx);
        });
      },
    },
    '2026-12-07-001-scope': {
      // Records from before it have no scope: live mode lists them as before, and no demo browser sees them.
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable('audit_log').addColumn('scope', 'text').execute();
        await db.schema.createIndex('audit_log_scope_at').on('audit_log').columns(['scope', 'at']).execute();
      },
    },
    '2026-12-07-002-follow': {
      // The follower's columns, and the outcome `unknown` (a change whose end was never seen): PostgreSQL
      // swaps the CHECK constraint; SQLite cannot alter one, so its table is rebuilt in one transaction.
      async up(db: Kysely<unknown>) {
        const outcomes = sql.raw(OUTCOMES.map((o) => `'${o}'`).join(', '));
        if (kind === 'postgres') {
          await sql`alter table audit_log
            add column updated_at timestamptz, add column task_json text, add column task_progress integer,
            add column follow_owner text, add column follow_until timestamptz, add column follow_next_at timestamptz,
            add column follow_errors integer not null default 0, add column task_answer_status integer,
            add column task_retry_after text, add column follow_min_interval_ms integer not null default 0`.execute(db);
          await sql`alter table audit_log drop constraint audit_log_outcome_check`.execute(db);
          await sql`alter table audit_log add constraint audit_log_outcome_check check (outcome in (${outcomes}))`.execute(db);
          await sql`create index audit_log_follow on audit_log (follow_next_at) where follow_next_at is not null`.execute(db);
          await sql`create index audit_log_updated on audit_log (updated_at)`.execute(db);
          return;
        }
        await db.transaction().execute(async (tx) => {
          const columns = sql.raw(
            'id, at, "user", vm_id, vm_name, interface_id, network_id, network_name, from_profile_id, from_profile_name, from_source, to_profile_id, to_profile_permalink, to_profile_name, outcome, task_id, error_code, last_seen_at, ended_at, lock_key, lock_expired_at, scope',
          );
          await sql`create table audit_log_next (
            id text primary key, at text not null, "user" text not null, vm_id text, vm_name text,
            interface_id text not null, network_id text, network_name text, from_profile_id text, from_profile_name text,
            from_source text not null check (from_source in ('katapult', 'panel')),
            to_profile_id text, to_profile_permalink text, to_profile_name text,
            outcome text not null check (outcome in (${outcomes})),
            task_id text, error_code text, last_seen_at text, ended_at text, lock_key text, lock_expired_at text, scope text,
            updated_at text, task_json text, task_progress integer, follow_owner text, follow_until text, follow_next_at text,
            follow_errors integer not null default 0, task_answer_status integer, task_retry_after text,
            follow_min_interval_ms integer not null default 0
          )`.execute(tx);
          await sql`insert into audit_log_next (${columns}) select ${columns} from audit_log`.execute(tx);
          await sql`drop table audit_log`.execute(tx);
          await sql`alter table audit_log_next rename to audit_log`.execute(tx);
          await sql`create index audit_log_at_id on audit_log (at, id)`.execute(tx);
          await sql`create index audit_log_interface_at on audit_log (interface_id, at)`.execute(tx);
          await sql`create index audit_log_task on audit_log (task_id)`.execute(tx);
          await sql`create unique index audit_log_change_lock on audit_log (lock_key) where lock_key is not null`.execute(tx);
          await sql`create index audit_log_scope_at on audit_log (scope, at)`.execute(tx);
          await sql`create index audit_log_follow on audit_log (follow_next_at) where follow_next_at is not null`.execute(tx);
          await sql`create index audit_log_updated on audit_log (updated_at)`.execute(tx);
        });
      },
    },
  };
}

/** `upTo` (tests of a migration): stop after that migration instead of the latest. */
export async function openDatabase(config: AuditConfig, upTo?: string): Promise<Kysely<AuditDatabase>> {
  let db: Kysely<AuditDatabase>;
  if (config.kind === 'postgres') {
    const pool = new pg.Pool({
      connectionString: config.databaseUrl,
      max: 10,
      // A database that is down must turn into audit_unavailable quickly, not a hung change.
      connectionTimeoutMillis: 3000,
      query_timeout: 5000,
    });
    // A client losing its connection (the server restarting) must not crash the process: an idle
    // one is reported on the pool; a checked-out one between two statements of a transaction only
    // on the client itself (pg-pool listens only while it is idle), and its next query fails anyway.
    pool.on('error', () => {});
    pool.on('connect', (client) => client.on('error', () => {}));
    db = new Kysely({ dialect: new PostgresDialect({ pool }) });
  } else {
    const file = resolve(config.sqlitePath);
    mkdirSync(dirname(file), { recursive: true });
    const sqlite = new Database(file, { timeout: SQLITE_BUSY_TIMEOUT_MS });
    sqlite.pragma('journal_mode = WAL');
    // In WAL mode NORMAL loses nothing when the process dies (only on power loss, the last commits).
    sqlite.pragma('synchronous = NORMAL');
    db = new Kysely({ dialect: new SqliteDialect({ database: sqlite }) });
  }
  try {
    const migrator = new Migrator({ db, provider: { getMigrations: () => Promise.resolve(migrations(config.kind)) } });
    const { error } = await (upTo ? migrator.migrateTo(upTo) : migrator.migrateToLatest());
    if (error) throw error;
  } catch (e) {
    await db.destroy().catch(() => {});
    throw e;
  }
  return db;
}
