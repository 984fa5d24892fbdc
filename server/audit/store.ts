/**
 * The audit log's store: a change is recorded before its PATCH leaves, then the PATCH's answer,
 * then the task's end as the server relays task answers. Listing is newest first with a keyset
 * cursor; the CSV export streams the same filtered rows.
 *
 * One change at a time per interface: a change is inserted holding its interface's lock (lock_key),
 * and a unique index lets only one record hold it, across every server sharing the database. The
 * lock goes with the change's end, or when a later change finds its task unseen for
 * CHANGE_LOCK_MINUTES and retires it with a conditional UPDATE (so two servers cannot both win).
 */
import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import { randomInt } from 'node:crypto';
import type { AuditEntry, AuditListAnswer } from '../../protocol/audit.ts';
import type { AuditConfig } from './config.ts';
import { openDatabase, type AuditDatabase, type AuditTable, type Timestamp } from './db.ts';
import { encodeCursor, type AuditFilters, type AuditPage } from './filters.ts';

export type { AuditEntry };

/** The change holding the interface's lock: the new one was not recorded and must not be forwarded. */
export class ChangeInProgress extends Error {
  override name = 'ChangeInProgress';
  constructor(readonly holder: AuditEntry) {
    super(`change ${holder.id} holds the interface`);
  }
}

export interface ChangeRecord {
  user: string;
  interfaceId: string;
  vm?: { id?: string | undefined; name?: string | undefined } | undefined;
  network?: { id?: string | undefined; name?: string | undefined } | undefined;
  fromProfile?: { id?: string | undefined; name?: string | undefined } | undefined;
  fromSource: 'katapult' | 'panel';
  toProfile: { id?: string | undefined; permalink?: string | undefined; name?: string | undefined };
  /** Demo mode: each browser's mock is its own Katapult, so its interfaces are locked apart from other browsers'. */
  lockScope?: string | undefined;
}

/** Whose view a list is for (demo mode: the browser's session, whose records alone it lists, with their locks). */
export interface LockView {
  lockScope?: string | undefined;
}

export type TaskStatus = 'pending' | 'running' | 'completed' | 'failed';

export interface AuditStore {
  readonly kind: AuditConfig['kind'];
  /**
   * Writes the record (outcome `pending`, holding the interface's lock) and returns its id. Throws
   * ChangeInProgress when another change holds the interface, or when the database cannot take it.
   */
  recordChange(change: ChangeRecord): Promise<string>;
  /** What Katapult said the interface was just before the change (from_source `katapult`). */
  recordKatapultView(id: string, view: Pick<ChangeRecord, 'vm' | 'network' | 'fromProfile'>): Promise<void>;
  /** A change the panel's server refused itself (outcome `rejected` with its code): it never held the lock. */
  recordRefusal(change: ChangeRecord, errorCode: string): Promise<string>;
  /**
   * The PATCH's answer: a task (outcome `running`) or an error code (outcome `rejected`, or
   * `already_assigned` for speed_profile_already_assigned). An error or an ended task frees the lock.
   */
  recordAnswer(id: string, answer: { taskId: string; status?: TaskStatus } | { errorCode: string }): Promise<void>;
  /** A task answer the server relayed: pending/running refresh last_seen_at, completed/failed end the record. */
  recordTaskState(taskId: string, status: TaskStatus): Promise<void>;
  list(filters: AuditFilters, page: AuditPage, view?: LockView): Promise<AuditListAnswer>;
  /** Every filtered row, newest first, in pages (the export never holds the whole log in memory). */
  all(filters: AuditFilters, view?: LockView): AsyncGenerator<AuditEntry>;
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

export const ALREADY_ASSIGNED = 'speed_profile_already_assigned';

const lockKey = (interfaceId: string, scope: string | undefined) => (scope === undefined ? interfaceId : `${scope}/${interfaceId}`);

/** The lock's state at `nowMs`, as the panel reads it. */
function lockState(r: AuditTable, nowMs: number, lockMs: number, scope: string | undefined) {
  const until = Date.parse(iso(r.last_seen_at ?? r.at)!) + lockMs;
  const blocking = r.lock_key !== null && r.lock_key === lockKey(r.interface_id, scope) && until >= nowMs;
  const open = r.outcome === 'pending' || r.outcome === 'running';
  const expired = open && !blocking && (r.lock_expired_at !== null || until < nowMs);
  return {
    blocking,
    blocking_until: blocking ? new Date(until).toISOString() : null,
    expired,
    expired_at: expired ? (iso(r.lock_expired_at) ?? new Date(until).toISOString()) : null,
  };
}

function toEntry(r: AuditTable, lock: ReturnType<typeof lockState>): AuditEntry {
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
    ...lock,
  };
}

/** The insert that lost the interface's lock (SQLite and PostgreSQL words for a unique violation). */
const isUniqueViolation = (e: unknown) => {
  const code = (e as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === '23505';
};

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
  /** The server's clock (tests drive it): records' times and the lock's expiry. */
  now?: () => Date;
}

export async function openAuditStore(config: AuditConfig, opts: StoreOptions = {}): Promise<AuditStore> {
  const db: Kysely<AuditDatabase> = await openDatabase(config);
  const now = opts.now ?? (() => new Date());

  const lockMs = config.changeLockMinutes * 60_000;
  const entryOf = (r: AuditTable, scope: string | undefined) => toEntry(r, lockState(r, now().getTime(), lockMs, scope));

  const page = async (filters: AuditFilters, p: AuditPage, view: LockView = {}) => {
    let q = filtered(db.selectFrom('audit_log').selectAll(), filters);
    if (view.lockScope !== undefined) q = q.where('scope', '=', view.lockScope);
    if (p.cursor) {
      const { at, id } = p.cursor;
      q = q.where((eb) => eb.or([eb('at', '<', at), eb.and([eb('at', '=', at), eb('id', '<', id)])]));
    }
    const rows = await q.orderBy('at', 'desc').orderBy('id', 'desc').limit(p.limit + 1).execute();
    const entries = rows.slice(0, p.limit).map((r) => entryOf(r, view.lockScope));
    const last = entries.at(-1);
    return { entries, next_cursor: rows.length > p.limit && last ? encodeCursor(last.at, last.id) : null };
  };

  const insert = async (c: ChangeRecord, fields: Pick<AuditTable, 'outcome' | 'error_code' | 'lock_key'>, ended: boolean) => {
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
        task_id: null,
        last_seen_at: null,
        ended_at: ended ? at.toISOString() : null,
        lock_expired_at: null,
        scope: c.lockScope ?? null,
        ...fields,
      })
      .execute();
    return id;
  };

  return {
    kind: config.kind,

    async recordChange(c) {
      const key = lockKey(c.interfaceId, c.lockScope);
      // The insert itself is the check: the unique index decides, on one server or several.
      for (let attempt = 0; ; attempt++) {
        try {
          return await insert(c, { outcome: 'pending', error_code: null, lock_key: key }, false);
        } catch (e) {
          if (!isUniqueViolation(e)) throw e;
          const holder = await db.selectFrom('audit_log').selectAll().where('lock_key', '=', key).executeTakeFirst();
          const entry = holder && entryOf(holder, c.lockScope);
          if (entry?.blocking) throw new ChangeInProgress(entry);
          // The holder ended meanwhile, or is stale: retire it (only if it still is the stale holder) and
          // try once more; if another request won in between, its record is the holder on the next turn.
          if (attempt >= 2) throw e;
          if (holder) {
            const cutoff = new Date(now().getTime() - lockMs).toISOString();
            await db
              .updateTable('audit_log')
              .set({ lock_key: null, lock_expired_at: now().toISOString() })
              .where('id', '=', holder.id)
              .where('lock_key', '=', key)
              .where(sql<string>`coalesce(last_seen_at, at)`, '<', cutoff)
              .execute();
          }
        }
      }
    },

    async recordKatapultView(id, v) {
      await db
        .updateTable('audit_log')
        .set({
          vm_id: v.vm?.id ?? null,
          vm_name: v.vm?.name ?? null,
          network_id: v.network?.id ?? null,
          network_name: v.network?.name ?? null,
          from_profile_id: v.fromProfile?.id ?? null,
          from_profile_name: v.fromProfile?.name ?? null,
          from_source: 'katapult',
        })
        .where('id', '=', id)
        .execute();
    },

    recordRefusal: (c, errorCode) => insert(c, { outcome: 'rejected', error_code: errorCode, lock_key: null }, true),

    async recordAnswer(id, answer) {
      const t = now().toISOString();
      if ('errorCode' in answer) {
        const outcome = answer.errorCode === ALREADY_ASSIGNED ? 'already_assigned' : 'rejected';
        await db
          .updateTable('audit_log')
          .set({ outcome, error_code: answer.errorCode, ended_at: t, lock_key: null })
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
          ...(ended ? { ended_at: t, lock_key: null } : {}),
        })
        .where('id', '=', id)
        .execute();
    },

    async recordTaskState(taskId, status) {
      const t = now().toISOString();
      // An ended record stays as it ended: a late or replayed answer never reopens it.
      const open = db.updateTable('audit_log').where('task_id', '=', taskId).where('outcome', 'in', ['pending', 'running']);
      if (status === 'completed' || status === 'failed') {
        await open.set({ outcome: status, ended_at: t, last_seen_at: t, lock_key: null }).execute();
      } else {
        await open.set({ outcome: 'running', last_seen_at: t }).execute();
      }
    },

    list: page,

    async *all(filters, view) {
      let cursor: AuditPage['cursor'];
      for (;;) {
        const { entries, next_cursor } = await page(filters, { limit: 500, ...(cursor ? { cursor } : {}) }, view);
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
