import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { demoAuditPath } from './config.ts';

describe('the audit log’s configuration', () => {
  it('uses ./data/audit.sqlite in live mode and a file under the OS temp directory in demo mode', () => {
    const live = loadConfig({ KATAPULT_API_URL: 'https://api.katapult.io/core/v1' }).audit;
    expect(live).toEqual({
      kind: 'sqlite',
      sqlitePath: './data/audit.sqlite',
      databaseUrl: undefined,
      trustedUserHeader: undefined,
      trustedGroupsHeader: undefined,
      changeGroups: undefined,
      changeLockMinutes: 15,
      taskFollowMinutes: 60,
      retentionDays: 400,
    });
    expect(loadConfig({}).audit.sqlitePath.startsWith(tmpdir())).toBe(true);
  });

  it('gives each demo server process its own temporary audit file', () => {
    const demo = loadConfig({}).audit;
    expect(demo).toMatchObject({ kind: 'sqlite', temporary: true });
    expect(demo.sqlitePath).toBe(demoAuditPath(process.pid));
    expect(demoAuditPath(process.pid)).not.toBe(demoAuditPath(process.pid + 1));
    // A file of one's own choosing is never the server's to delete.
    expect(loadConfig({ AUDIT_DB: '/tmp/mine.sqlite' }).audit.temporary).toBeUndefined();
  });

  it('switches to PostgreSQL with DATABASE_URL and takes the trusted header and retention', () => {
    const c = loadConfig({
      DATABASE_URL: 'postgres://panel@db.internal/panel',
      TRUSTED_USER_HEADER: 'X-Forwarded-Email',
      AUDIT_RETENTION_DAYS: '30',
      AUDIT_DB: '/var/lib/panel/audit.sqlite',
    }).audit;
    expect(c).toMatchObject({
      kind: 'postgres',
      databaseUrl: 'postgres://panel@db.internal/panel',
      trustedUserHeader: 'x-forwarded-email',
      retentionDays: 30,
    });
  });

  it('takes the trusted groups header, the groups that may change (comma- or space-separated) and the lock’s minutes', () => {
    const c = loadConfig({
      TRUSTED_GROUPS_HEADER: 'X-Forwarded-Groups',
      CHANGE_GROUPS: 'network-admins, support-leads  noc',
      CHANGE_LOCK_MINUTES: '5',
    }).audit;
    expect(c).toMatchObject({
      trustedGroupsHeader: 'x-forwarded-groups',
      changeGroups: ['network-admins', 'support-leads', 'noc'],
      changeLockMinutes: 5,
    });
  });

  it('refuses CHANGE_GROUPS without TRUSTED_GROUPS_HEADER, and a bad lock duration', () => {
    expect(() => loadConfig({ CHANGE_GROUPS: 'network-admins' })).toThrow(/CHANGE_GROUPS needs TRUSTED_GROUPS_HEADER/);
    expect(() => loadConfig({ CHANGE_LOCK_MINUTES: '0' })).toThrow(/CHANGE_LOCK_MINUTES must be a whole number of minutes/);
    expect(() => loadConfig({ TRUSTED_GROUPS_HEADER: 'X Groups' })).toThrow(/TRUSTED_GROUPS_HEADER must be an HTTP header name/);
  });

  it('names each bad audit setting', () => {
    expect(() =>
      loadConfig({ DATABASE_URL: 'mysql://x', TRUSTED_USER_HEADER: 'X Email', AUDIT_RETENTION_DAYS: '0' }),
    ).toThrow(/DATABASE_URL must be a postgres.*TRUSTED_USER_HEADER must be an HTTP header name.*AUDIT_RETENTION_DAYS must be a whole number/);
  });
});
