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
  /** Lower-case header name with the member's groups (comma- or space-separated), set by the same proxy. */
  trustedGroupsHeader: string | undefined;
  /** The groups whose members may change speed profiles; undefined: everyone may. */
  changeGroups: string[] | undefined;
  /** A change whose task has not been seen for this long no longer blocks its interface. */
  changeLockMinutes: number;
  /** The server follows a change's task this long; not ended by then, it is recorded as never seen to end. */
  taskFollowMinutes: number;
  retentionDays: number;
  /**
   * The demo's own file (no AUDIT_DB in demo mode): it belongs to this server process alone, which
   * empties it at start and deletes it when it closes (server/main.ts).
   */
  temporary?: true;
}

/**
 * Where a demo server records: outside the project, so `npm start` with no configuration writes
 * nothing into it, and one file per server process, so two demo servers on a machine never share
 * (or lock) one another's records.
 */
export const demoAuditPath = (pid: number = process.pid) => join(tmpdir(), `katapult-panel-demo-audit-${pid}.sqlite`);

/** A SQLite database's files: the database, its write-ahead log and shared memory, and a rollback journal. */
export const sqliteFiles = (path: string) => ['', '-wal', '-shm', '-journal'].map((suffix) => path + suffix);

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Group lists, in the header and in CHANGE_GROUPS alike: comma- or space-separated. */
export const splitGroups = (v: string) => v.split(/[\s,]+/).filter(Boolean);

const schema = z.object({
  AUDIT_DB: z.optional(z.string()),
  DATABASE_URL: z.optional(
    z.string().check(z.regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// connection URL')),
  ),
  // An HTTP header name (RFC 9110 token).
  TRUSTED_USER_HEADER: z.optional(z.string().check(z.regex(HEADER_NAME, 'must be an HTTP header name such as X-Forwarded-Email'))),
  TRUSTED_GROUPS_HEADER: z.optional(z.string().check(z.regex(HEADER_NAME, 'must be an HTTP header name such as X-Forwarded-Groups'))),
  CHANGE_GROUPS: z.optional(z.string().check(z.regex(/^[^\p{Cc}]+$/u, 'must be group names separated by spaces or commas'))),
  CHANGE_LOCK_MINUTES: z.optional(z.string().check(z.regex(/^[1-9]\d{0,3}$/, 'must be a whole number of minutes from 1 to 9999'))),
  TASK_FOLLOW_MINUTES: z.optional(z.string().check(z.regex(/^[1-9]\d{0,4}$/, 'must be a whole number of minutes from 1 to 99999'))),
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
  const changeGroups = c.CHANGE_GROUPS ? splitGroups(c.CHANGE_GROUPS) : undefined;
  // Without a trusted source of groups nobody could ever change: refuse to start rather than lock everyone out.
  if (changeGroups?.length && !c.TRUSTED_GROUPS_HEADER) issues.push('CHANGE_GROUPS needs TRUSTED_GROUPS_HEADER (the header that carries the groups)');
  const url = r.success ? c.DATABASE_URL : undefined;
  const temporary = !url && c.AUDIT_DB === undefined && mode === 'demo';
  return {
    config: {
      kind: url ? 'postgres' : 'sqlite',
      sqlitePath: c.AUDIT_DB ?? (temporary ? demoAuditPath() : './data/audit.sqlite'),
      databaseUrl: url,
      trustedUserHeader: c.TRUSTED_USER_HEADER?.toLowerCase(),
      trustedGroupsHeader: c.TRUSTED_GROUPS_HEADER?.toLowerCase(),
      changeGroups: changeGroups?.length ? changeGroups : undefined,
      changeLockMinutes: c.CHANGE_LOCK_MINUTES ? Number(c.CHANGE_LOCK_MINUTES) : 15,
      taskFollowMinutes: c.TASK_FOLLOW_MINUTES ? Number(c.TASK_FOLLOW_MINUTES) : 60,
      retentionDays: c.AUDIT_RETENTION_DAYS ? Number(c.AUDIT_RETENTION_DAYS) : 400,
      ...(temporary ? { temporary: true as const } : {}),
    },
    issues,
  };
}
