/**
 * The audit log's store: a change is recorded before its PATCH leaves, then the PATCH's answer,
 * then the task's end as the server relays task answers. Listing is newest first with a keyset
 * cursor; the CSV export streams the same filtered rows.
 */
import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import { randomInt } from 'node:crypto';
import type { AuditConfig } from './config.ts';
import { openDatabase, type AuditDatabase, type AuditTable, type Outcome, type Timestamp } from './db.ts';
import { encodeCursor, type AuditFilters, type AuditPage } from './filters.ts';

export interface AuditEntry {
  id: string;
  at: string;
  user: string;
  vm: { id: string | null; name: string | null };
  interface_id: string;
  network: { id: string | null; name: string | null };
  from_profile: { id: string | null; name: string | null } | null;
  from_source: 'katapult' | 'panel';
  to_profile: { id: string | null; permalink: string | null; name: string | null };
  outcome: Outcome;
  task_id: string | null;
  error_code: string | null;
  last_seen_at: string | null;
  ended_at: string | null;
}

export interface ChangeRecord {
  user: string;
  interfaceId: string;
  vm?: { id?: string | undefined; name?: string | undefined } | undefined;
  network?: { id?: string | undefined; name?: string | undefined } | undefined;
  fromProfile?: { id?: string | undefined; name?: string | undefined } | undefined;
  fromSource: 'katapult' | 'panel';
  toProfile: { id?: string | undefined; permalink?: string | undefined; name?: string | undefined };
}

export type TaskStatus = 'pending' | 'running' | 'completed' | 'failed';

export interface AuditStore {
  readonly kind: AuditConfig['kind'];
  /** Writes the record (outcome `pending`) and returns its id; throws when the database cannot take it. */
  recordChange(change: ChangeRecord): Promise<string>;
  /** The PATCH's answer: a task (outcome `running`) or an error code (outcome `rejected`). */
  recordAnswer(id: string, answer: { taskId: string; status?: TaskStatus } | { errorCode: string }): Promise<void>;
  /** A task answer the server relayed: pending/running refresh last_seen_at, completed/failed end the record. */
  recordTaskState(taskId: string, status: TaskStatus): Promise<void>;
  list(filters: AuditFilters, page: AuditPage): Promise<{ entries: AuditEntry[]; next_cursor: string | null }>;
  /** Every filtered row, newest first, in pages (the export never holds the whole log in memory). */
  all(filters: AuditFilters): AsyncGenerator<AuditEntry>;
  /** Deletes records older than the retention; returns how many. */
  prune(): Promise<number>;
  close(): Promise<void>;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** `aud_` + 8 base62 digits of the millisecond clock + 8 random ones: unique, and sorted by time. */
export function auditId(now = Date.now()): string {
  let time = '';
  for (let n = now, i = 0; i < 8; i++, n = Math.floor(n / 62)) time = BASE62[n % 62]! + time;
  let rand = '';
  for (let i = 0; i < 8; i++) rand += BASE62[randomInt(62)];
  return `aud_${time}${rand}`;
}

const iso = (t: Timestamp | null): string | null => (t === null ? null : t instanceof Date ? t.toISOString() : t);

function toEntry(r: AuditTable): AuditEntry {
  const hasFrom = r.from_profile_id !== null || r.from_profile_name !== null;
  return {
    id: r.id,
    at: iso(r.at)!,
    user: r.user,
    vm: { id: r.vm_id, name: r.vm_name },
    interface_id: r.interface_id,
    network: { id: r.network_id, name: r.network_name },
    from_profile: hasFrom ? { id: r.from_profile_id, name: r.from_profile_name } : null,
    from_source: r.from_source,
    to_profile: { id: r.to_profile_id, permalink: r.to_profile_permalink, name: r.to_profile_name },
    outcome: r.outcome,
    task_id: r.task_id,
    error_code: r.error_code,
    last_seen_at: iso(r.last_seen_at),
    ended_at: iso(r.ended_at),
  };
}

/** LIKE with the pattern's own wildcards taken literally ('!' is the escape character). */
const likeEscape = (s: string) => s.replace(/[!%_]/g, (c) => `!${c}`);

function filtered<O>(q: SelectQueryBuilder<AuditDatabase, 'audit_log', O>, f: AuditFilters) {
  let out = q;
  if (f.vm !== undefined) {
    const pattern = `%${likeEscape(f.vm.toLowerCase())}%`;
    out = out.where((eb) =>
      eb.or([eb('vm_id', '=', f.vm!), eb(sql`lower(vm_name)`, 'like', sql`${pattern} escape '!'`)]),
    );
  }
  if (f.interface !== undefined) out = out.where('interface_id', '=', f.interface);
  if (f.user !== undefined) out = out.where('user', '=', f.user);
  if (f.outcome === 'not_seen') out = out.where('outcome', 'in', ['pending', 'running']);
  else if (f.outcome !== undefined) out = out.where('outcome', '=', f.outcome);
  if (f.from !== undefined) out = out.where('at', '>=', f.from);
  if (f.to !== undefined) out = out.where('at', '<=', f.to);
  return out;
}

export interface StoreOptions {
  /** The server's clock (tests drive it). */
  now?: () => Date;
}

export async function openAuditStore(config: AuditConfig, opts: StoreOptions = {}): Promise<AuditStore> {
  const db: Kysely<AuditDatabase> = await openDatabase(config);
  const now = opts.now ?? (() => new Date());

  const page = async (filters: AuditFilters, p: AuditPage) => {
    let q = filtered(db.selectFrom('audit_log').selectAll(), filters);
    if (p.cursor) {
      const { at, id } = p.cursor;
      q = q.where((eb) => eb.or([eb('at', '<', at), eb.and([eb('at', '=', at), eb('id', '<', id)])]));
    }
    const rows = await q.orderBy('at', 'desc').orderBy('id', 'desc').limit(p.limit + 1).execute();
    const entries = rows.slice(0, p.limit).map(toEntry);
    const last = entries.at(-1);
    return { entries, next_cursor: rows.length > p.limit && last ? encodeCursor(last.at, last.id) : null };
  };

  return {
    kind: config.kind,

    async recordChange(c) {
      const at = now();
      const id = auditId(at.getTime());
      await db
        .insertInto('audit_log')
        .values({
          id,
          at: at.toISOString(),
          user: c.user,
          vm_id: c.vm?.id ?? null,
          vm_name: c.vm?.name ?? null,
          interface_id: c.interfaceId,
          network_id: c.network?.id ?? null,
          network_name: c.network?.name ?? null,
          from_profile_id: c.fromProfile?.id ?? null,
          from_profile_name: c.fromProfile?.name ?? null,
          from_source: c.fromSource,
          to_profile_id: c.toProfile.id ?? null,
          to_profile_permalink: c.toProfile.permalink ?? null,
          to_profile_name: c.toProfile.name ?? null,
          outcome: 'pending',
          task_id: null,
          error_code: null,
          last_seen_at: null,
          ended_at: null,
        })
        .execute();
      return id;
    },

    async recordAnswer(id, answer) {
      const t = now().toISOString();
      if ('errorCode' in answer) {
        await db
          .updateTable('audit_log')
          .set({ outcome: 'rejected', error_code: answer.errorCode, ended_at: t })
          .where('id', '=', id)
          .execute();
        return;
      }
      const ended = answer.status === 'completed' || answer.status === 'failed';
      await db
        .updateTable('audit_log')
        .set({
          task_id: answer.taskId,
          outcome: ended ? answer.status! : 'running',
          last_seen_at: t,
          ...(ended ? { ended_at: t } : {}),
        })
        .where('id', '=', id)
        .execute();
    },

    async recordTaskState(taskId, status) {
      const t = now().toISOString();
      // An ended record stays as it ended: a late or replayed answer never reopens it.
      const open = db.updateTable('audit_log').where('task_id', '=', taskId).where('outcome', 'in', ['pending', 'running']);
      if (status === 'completed' || status === 'failed') {
        await open.set({ outcome: status, ended_at: t, last_seen_at: t }).execute();
      } else {
        await open.set({ outcome: 'running', last_seen_at: t }).execute();
      }
    },

    list: page,

    async *all(filters) {
      let cursor: AuditPage['cursor'];
      for (;;) {
        const { entries, next_cursor } = await page(filters, { limit: 500, ...(cursor ? { cursor } : {}) });
        yield* entries;
        const last = entries.at(-1);
        if (!next_cursor || !last) return;
        cursor = { at: last.at, id: last.id };
      }
    },

    async prune() {
      const cutoff = new Date(now().getTime() - config.retentionDays * 86_400_000).toISOString();
      const r = await db.deleteFrom('audit_log').where('at', '<', cutoff).executeTakeFirst();
      return Number(r.numDeletedRows);
    },

    close: () => db.destroy(),
  };
}
