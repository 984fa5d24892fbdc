/** The audit log's configuration, from the same environment as the rest of the server. */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as z from 'zod/mini';

export interface AuditConfig {
  /** `sqlite`: an embedded file (`sqlitePath`); `postgres`: the server at `databaseUrl`. */
  kind: 'sqlite' | 'postgres';
  sqlitePath: string;
  databaseUrl: string | undefined;
  /** Lower-case header name set by the portal's reverse proxy, or undefined: then every user is "unknown". */
  trustedUserHeader: string | undefined;
  retentionDays: number;
}

/** Where the demo records: outside the project, so `npm start` with no configuration writes nothing into it. */
export const DEMO_AUDIT_DB = join(tmpdir(), 'katapult-panel-demo-audit.sqlite');

const schema = z.object({
  AUDIT_DB: z.optional(z.string()),
  DATABASE_URL: z.optional(
    z.string().check(z.regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// connection URL')),
  ),
  // An HTTP header name (RFC 9110 token).
  TRUSTED_USER_HEADER: z.optional(z.string().check(z.regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'must be an HTTP header name such as X-Forwarded-Email'))),
  AUDIT_RETENTION_DAYS: z.optional(z.string().check(z.regex(/^[1-9]\d{0,4}$/, 'must be a whole number of days from 1 to 99999'))),
});

/** Issues are returned (not thrown) so that loadConfig can name them together with its own. */
export function parseAuditConfig(
  env: Record<string, string | undefined>,
  mode: 'demo' | 'live',
): { config: AuditConfig; issues: string[] } {
  const r = z.safeParse(schema, env);
  const issues = r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')} ${i.message}`);
  const c = r.success ? r.data : {};
  const url = r.success ? c.DATABASE_URL : undefined;
  return {
    config: {
      kind: url ? 'postgres' : 'sqlite',
      sqlitePath: c.AUDIT_DB ?? (mode === 'demo' ? DEMO_AUDIT_DB : './data/audit.sqlite'),
      databaseUrl: url,
      trustedUserHeader: c.TRUSTED_USER_HEADER?.toLowerCase(),
      retentionDays: c.AUDIT_RETENTION_DAYS ? Number(c.AUDIT_RETENTION_DAYS) : 400,
    },
    issues,
  };
}
