/** The databases the audit tests run against: a fresh SQLite file, or a fresh database on the test PostgreSQL. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, inject } from 'vitest';
import type { AuditConfig } from '../audit/config.ts';

export type DatabaseKind = AuditConfig['kind'];
export const DATABASE_KINDS: DatabaseKind[] = ['sqlite', 'postgres'];

let counter = 0;

/** A new, empty PostgreSQL database on the test server; returns its URL. */
export async function freshPostgresUrl(): Promise<string> {
  const admin = inject('postgresUrl');
  const name = `audit_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`create database ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Refuses new connections to that database and ends the open ones: the database is down for its users. */
export async function takeDown(databaseUrl: string): Promise<void> {
  const name = new URL(databaseUrl).pathname.slice(1);
  const client = new pg.Client({ connectionString: inject('postgresUrl') });
  await client.connect();
  try {
    await client.query(`alter database ${name} allow_connections false`);
    await client.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1', [name]);
  } finally {
    await client.end();
  }
}

const sqliteDirs: string[] = [];
// The test file's SQLite files go with it (PostgreSQL's go with the throwaway cluster).
afterAll(() => {
  for (const dir of sqliteDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export function freshSqlitePath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'katapult-audit-'));
  sqliteDirs.push(dir);
  return join(dir, 'audit.sqlite');
}

/** The environment variables that point the server at a fresh database of that kind. */
export async function freshDatabaseEnv(kind: DatabaseKind): Promise<Record<string, string>> {
  return kind === 'postgres' ? { DATABASE_URL: await freshPostgresUrl() } : { AUDIT_DB: freshSqlitePath() };
}

export async function freshAuditConfig(kind: DatabaseKind, over: Partial<AuditConfig> = {}): Promise<AuditConfig> {
  return {
    kind,
    sqlitePath: freshSqlitePath(),
    databaseUrl: kind === 'postgres' ? await freshPostgresUrl() : undefined,
    trustedUserHeader: undefined,
    trustedGroupsHeader: undefined,
    changeGroups: undefined,
    changeLockMinutes: 15,
    taskFollowMinutes: 60,
    retentionDays: 400,
    ...over,
  };
}
