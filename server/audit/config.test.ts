import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';

describe('the audit log’s configuration', () => {
  it('uses ./data/audit.sqlite in live mode and a file under the OS temp directory in demo mode', () => {
    const live = loadConfig({ KATAPULT_API_URL: 'https://api.katapult.io/core/v1' }).audit;
    expect(live).toEqual({
      kind: 'sqlite',
      sqlitePath: './data/audit.sqlite',
      databaseUrl: undefined,
      trustedUserHeader: undefined,
      retentionDays: 400,
    });
    expect(loadConfig({}).audit.sqlitePath.startsWith(tmpdir())).toBe(true);
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

  it('names each bad audit setting', () => {
    expect(() =>
      loadConfig({ DATABASE_URL: 'mysql://x', TRUSTED_USER_HEADER: 'X Email', AUDIT_RETENTION_DAYS: '0' }),
    ).toThrow(/DATABASE_URL must be a postgres.*TRUSTED_USER_HEADER must be an HTTP header name.*AUDIT_RETENTION_DAYS must be a whole number/);
  });
});
