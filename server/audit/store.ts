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
import type { TaskStatus } from '../../protocol/katapult.ts';
import type { AuditConfig } from './config.ts';
import { OUTCOMES, openDatabase, type AuditDatabase, type AuditTable, type Timestamp } from './db.ts';
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

/**
 * A change dated in the past, as a new demo session's history is written (server/audit/demo-history.ts):
 * already ended, never holding a lock, never followed.
 */
export interface PastChange extends Omit<ChangeRecord, 'lockScope'> {
  at: Date;
  endedAt: Date;
  outcome: 'completed' | 'failed' | 'rejected' | 'already_assigned';
  taskId: string | null;
  errorCode: string | null;
}

/** Whose view a list is for (demo mode: the browser's session, whose records alone it lists, with their locks). */
export interface LockView {
  lockScope?: string | undefined;
}

/** Told the id of every record written, so the live feed can carry it (server/changes/feed.ts). */
export interface WriteListener {
  publish(id: string): void;
}

/** A change the follower has claimed: what it needs to look at it. */
export interface FollowedChange {
  id: string;
  at: string;
  taskId: string | null;
  interfaceId: string;
  toProfile: { id: string | null; permalink: string | null };
  scope: string | null;
  errors: number;
  /** When the look was due (the follower's lag is how late it came). */
  dueAt: string;
  /** The last task answer's status (404: Katapult no longer knows the task), null before the first. */
  lastStatus: number | null;
  /** After a 429: the least time between looks (0: none seen). */
  minIntervalMs: number;
}

/** A task answer as Katapult gave it (JSON), and its progress as `taskProgress` (context.ts) reads it. */
export interface SeenTask {
  json: string;
  progress: number | null;
}

/** A task answer as the follower got it, kept for every viewer. */
export interface TaskAnswer {
  status: number;
  body: string;
  retryAfter?: string | undefined;
}

/** What one look at a followed change found. */
export type FollowResult =
  /** The task as Katapult answered it; `completed`/`failed` end the record and free the interface. */
  | { kind: 'task'; status: TaskStatus; progress: number | null; taskJson: string; nextAt: Date }
  /**
   * No task state (429, 503, 404, a network error): look again at `nextAt`. `answer` is what
   * Katapult said, if it said anything; `minIntervalMs` the spacing a 429 asks for from now on.
   */
  | { kind: 'retry'; nextAt: Date; answer?: TaskAnswer | undefined; minIntervalMs?: number | undefined }
  /** Settled without a task answer: the interface showed the new profile (`completed`), or nothing will tell (`unknown`). */
  | { kind: 'end'; outcome: 'completed' | 'unknown'; errorCode: string | null };

/** The follower's last view of a task, for answering viewers without a call to Katapult. */
export interface FollowedTask extends TaskAnswer {
  ended: boolean;
}

export interface AuditStore {
  readonly kind: AuditConfig['kind'];
  /** The store's clock (tests drive it): the follower schedules by it too. */
  now(): Date;
  /**
   * Writes the record (outcome `pending`, holding the interface's lock) and returns its id. Throws
   * ChangeInProgress when another change holds the interface, or when the database cannot take it.
   */
  recordChange(change: ChangeRecord, follow?: { owner: string; leaseMs: number }): Promise<string>;
  /**
   * What Katapult said the interface was just before the change, and the target profile's name as
   * Katapult gives it (from_source `katapult`: every name in the record is Katapult's from now on).
   */
  recordKatapultView(id: string, view: Pick<ChangeRecord, 'vm' | 'network' | 'fromProfile'> & { toProfileName?: string | undefined }): Promise<void>;
  /** A change the panel's server refused itself (outcome `rejected` with its code): it never held the lock. */
  recordRefusal(change: ChangeRecord, errorCode: string): Promise<string>;
  /**
   * The PATCH's answer: a task (outcome `running`) or an error code (outcome `rejected`, or
   * `already_assigned` for speed_profile_already_assigned). An error or an ended task frees the lock.
   */
  recordAnswer(
    id: string,
    answer: { taskId: string; status?: TaskStatus; task?: SeenTask; nextAt?: Date } | { errorCode: string } | { lost: true; nextAt: Date },
  ): Promise<void>;
  /** A task answer the server relayed: pending/running refresh last_seen_at, completed/failed end the record. */
  recordTaskState(taskId: string, status: TaskStatus, task?: SeenTask): Promise<void>;
  /**
   * Claims up to `limit` changes due for a look whose lease is free, expired or already `owner`'s,
   * each with a conditional UPDATE, so that one server at a time follows a change.
   */
  claimDue(owner: string, leaseMs: number, limit: number): Promise<FollowedChange[]>;
  /**
   * The earliest time `owner` may have a change to look at: the next look due of a change it may
   * claim, or the end of another server's live lease (that server may have died). Undefined when
   * nothing is open.
   */
  nextDue(owner: string): Promise<Date | undefined>;
  /** Records a look's result, only while `owner` still holds the lease; false when it no longer does. */
  recordFollow(id: string, owner: string, leaseMs: number, result: FollowResult): Promise<boolean>;
  /** Gives up `owner`'s leases (a server closing), so that another server takes them over at once. */
  releaseLeases(owner: string): Promise<void>;
  /** The follower's last view of a task (within the demo scope, when there is one). */
  followedTask(taskId: string, scope: string | undefined): Promise<FollowedTask | undefined>;
  /** The change whose task this is, when the server follows it (per-user mode keeps its token by record). */
  changeOfTask(taskId: string, scope: string | undefined): Promise<string | undefined>;
  get(id: string, view?: LockView): Promise<AuditEntry | undefined>;
  /** Records written after `since` (ISO 8601), oldest first, at most 500: where a live stream resumes. */
  changedSince(since: string, filters: AuditFilters, view?: LockView): Promise<AuditEntry[]>;
  list(filters: AuditFilters, page: AuditPage, view?: LockView): Promise<AuditListAnswer>;
  /** Every filtered row, newest first, in pages (the export never holds the whole log in memory). */
  all(filters: AuditFilters, view?: LockView): AsyncGenerator<AuditEntry>;
  /** Records by outcome, every outcome named (0 when none): /metrics reads it at scrape time. */
  countByOutcome(): Promise<Record<AuditTable['outcome'], number>>;
  /** Open changes a follower is to look at (follow_next_at set), across every server: /metrics. */
  countFollowed(): Promise<number>;
  /**
   * Demo mode only (no HTTP route calls it): writes a demo scope's past changes with their own
   * dates, in one transaction, unless the scope already has records; returns how many were written.
   */
  recordDemoHistory(scope: string, changes: readonly PastChange[]): Promise<number>;
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

/** What a change names (who, where, from → to), as the record's columns: one mapping for a new change and a past one. */
const changeColumns = (c: Omit<ChangeRecord, 'lockScope'>) => ({
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
});

/** A new record's follower columns: no lease, nothing read of its task yet. */
const NOT_FOLLOWED = {
  follow_owner: null,
  follow_until: null,
  follow_next_at: null,
  follow_errors: 0,
  task_answer_status: null,
  task_retry_after: null,
  follow_min_interval_ms: 0,
} as const;

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

function toEntry(r: AuditTable, lock: ReturnType<typeof lockState>, canChangeBack = false): AuditEntry {
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
    updated_at: iso(r.updated_at ?? r.ended_at ?? r.last_seen_at ?? r.at)!,
    task_progress: r.task_progress,
    can_change_back: canChangeBack,
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
  if (f.outcome === 'not_seen') out = out.where('outcome', 'in', ['pending', 'running', 'unknown']);
  else if (f.outcome !== undefined) out = out.where('outcome', '=', f.outcome);
  if (f.from !== undefined) out = out.where('at', '>=', f.from);
  if (f.to !== undefined) out = out.where('at', '<=', f.to);
  return out;
}

export interface StoreOptions {
  /** The server's clock (tests drive it): records' times, the lock's expiry and the follower's schedule. */
  now?: () => Date;
  /** Told of every write (the live feed). */
  feed?: WriteListener | undefined;
}

const OPEN: AuditTable['outcome'][] = ['pending', 'running'];

export async function openAuditStore(config: AuditConfig, opts: StoreOptions = {}): Promise<AuditStore> {
  const db: Kysely<AuditDatabase> = await openDatabase(config);
  const now = opts.now ?? (() => new Date());
  const stamp = () => now().toISOString();
  const published = (id: string) => opts.feed?.publish(id);

  const lockMs = config.changeLockMinutes * 60_000;
  /** Demo mode: a browser sees only its own demo session's records. Without a scope, every record. */
  const scoped = <O>(q: SelectQueryBuilder<AuditDatabase, 'audit_log', O>, scope: string | undefined) =>
    scope === undefined ? q : q.where('scope', '=', scope);

  /**
   * Entries as the panel reads them, with "Change back" decided here: a completed change with a
   * known "from", the newest completed change of its interface, and no change of it holding the lock.
   */
  const entriesOf = async (rows: AuditTable[], scope: string | undefined): Promise<AuditEntry[]> => {
    const t = now().getTime();
    const candidates = [...new Set(rows.filter((r) => r.outcome === 'completed' && r.from_profile_id !== null).map((r) => r.interface_id))];
    const newest = new Map<string, string>();
    const busy = new Set<string>();
    if (candidates.length > 0) {
      const completed = await scoped(
        db.selectFrom('audit_log').select(['id', 'interface_id', 'at']).where('interface_id', 'in', candidates).where('outcome', '=', 'completed'),
        scope,
      )
        .orderBy('at', 'desc')
        .orderBy('id', 'desc')
        .execute();
      for (const c of completed) if (!newest.has(c.interface_id)) newest.set(c.interface_id, c.id);
      const held = await db
        .selectFrom('audit_log')
        .selectAll()
        .where('lock_key', 'in', candidates.map((i) => lockKey(i, scope)))
        .execute();
      for (const h of held) if (lockState(h, t, lockMs, scope).blocking) busy.add(h.interface_id);
    }
    return rows.map((r) => {
      const canChangeBack = newest.get(r.interface_id) === r.id && !busy.has(r.interface_id);
      return toEntry(r, lockState(r, t, lockMs, scope), canChangeBack);
    });
  };
  const entryOf = (r: AuditTable, scope: string | undefined) => toEntry(r, lockState(r, now().getTime(), lockMs, scope));

  const page = async (filters: AuditFilters, p: AuditPage, view: LockView = {}) => {
    let q = scoped(filtered(db.selectFrom('audit_log').selectAll(), filters), view.lockScope);
    if (p.cursor) {
      const { at, id } = p.cursor;
      q = q.where((eb) => eb.or([eb('at', '<', at), eb.and([eb('at', '=', at), eb('id', '<', id)])]));
    }
    const rows = await q.orderBy('at', 'desc').orderBy('id', 'desc').limit(p.limit + 1).execute();
    const entries = await entriesOf(rows.slice(0, p.limit), view.lockScope);
    const last = entries.at(-1);
    return { entries, next_cursor: rows.length > p.limit && last ? encodeCursor(last.at, last.id) : null };
  };

  const insert = async (
    c: ChangeRecord,
    fields: Pick<AuditTable, 'outcome' | 'error_code' | 'lock_key'> & Partial<Pick<AuditTable, 'follow_owner' | 'follow_until'>>,
    ended: boolean,
  ) => {
    const at = now();
    const id = auditId(at.getTime());
    await db
      .insertInto('audit_log')
      .values({
        id,
        at: at.toISOString(),
        ...changeColumns(c),
        task_id: null,
        last_seen_at: null,
        ended_at: ended ? at.toISOString() : null,
        lock_expired_at: null,
        scope: c.lockScope ?? null,
        updated_at: at.toISOString(),
        task_json: null,
        task_progress: null,
        ...NOT_FOLLOWED,
        ...fields,
      })
      .execute();
    published(id);
    return id;
  };

  /** The end of a change: its outcome, and the interface freed; nothing is left to follow. */
  const ending = (outcome: AuditTable['outcome'], t: string) => ({
    outcome,
    ended_at: t,
    lock_key: null,
    follow_owner: null,
    follow_until: null,
    follow_next_at: null,
    updated_at: t,
  });

  /** The columns of a task answer seen with status 200. */
  const seen = (task: SeenTask) => ({ task_json: task.json, task_progress: task.progress, task_answer_status: 200 });

  return {
    kind: config.kind,
    now,

    async recordChange(c, follow) {
      const key = lockKey(c.interfaceId, c.lockScope);
      // The request that forwards the change holds its lease while the PATCH is in flight: no follower
      // settles a change whose answer is still coming.
      const lease = follow
        ? { follow_owner: follow.owner, follow_until: new Date(now().getTime() + follow.leaseMs).toISOString() }
        : {};
      // The insert itself is the check: the unique index decides, on one server or several.
      for (let attempt = 0; ; attempt++) {
        try {
          return await insert(c, { outcome: 'pending', error_code: null, lock_key: key, ...lease }, false);
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
            const r = await db
              .updateTable('audit_log')
              .set({ lock_key: null, lock_expired_at: stamp(), updated_at: stamp() })
              .where('id', '=', holder.id)
              .where('lock_key', '=', key)
              .where(sql<string>`coalesce(last_seen_at, at)`, '<', cutoff)
              .executeTakeFirst();
            if (Number(r.numUpdatedRows) > 0) published(holder.id);
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
          to_profile_name: v.toProfileName ?? null,
          from_source: 'katapult',
          updated_at: stamp(),
        })
        .where('id', '=', id)
        .execute();
      published(id);
    },

    recordRefusal: (c, errorCode) => insert(c, { outcome: 'rejected', error_code: errorCode, lock_key: null }, true),

    async recordAnswer(id, answer) {
      const t = stamp();
      if ('errorCode' in answer) {
        const outcome = answer.errorCode === ALREADY_ASSIGNED ? 'already_assigned' : 'rejected';
        await db.updateTable('audit_log').set({ ...ending(outcome, t), error_code: answer.errorCode }).where('id', '=', id).execute();
      } else if ('lost' in answer) {
        // The change may have reached Katapult: the follower settles it by reading the interface.
        await db
          .updateTable('audit_log')
          .set({ follow_next_at: answer.nextAt.toISOString(), updated_at: t })
          .where('id', '=', id)
          .execute();
      } else {
        const ended = answer.status === 'completed' || answer.status === 'failed';
        await db
          .updateTable('audit_log')
          .set({
            task_id: answer.taskId,
            last_seen_at: t,
            ...(answer.task ? seen(answer.task) : {}),
            ...(ended
              ? ending(answer.status!, t)
              : { outcome: 'running' as const, updated_at: t, follow_next_at: answer.nextAt?.toISOString() ?? t }),
          })
          .where('id', '=', id)
          .execute();
      }
      published(id);
    },

    async recordTaskState(taskId, status, task) {
      const t = stamp();
      const json = task ? { ...seen(task), task_retry_after: null } : {};
      const set =
        status === 'completed' || status === 'failed'
          ? { ...ending(status, t), last_seen_at: t, ...json }
          : { outcome: 'running' as const, last_seen_at: t, updated_at: t, ...json };
      // One statement: the records it changed are the ones the feed is told of. An ended record stays
      // as it ended: a late or replayed answer never reopens it.
      const changed = await db
        .updateTable('audit_log')
        .set(set)
        .where('task_id', '=', taskId)
        .where('outcome', 'in', OPEN)
        .returning('id')
        .execute();
      for (const { id } of changed) published(id);
    },

    async claimDue(owner, leaseMs, limit) {
      const t = stamp();
      const until = new Date(now().getTime() + leaseMs).toISOString();
      const due = await db
        .selectFrom('audit_log')
        .selectAll()
        .where('follow_next_at', 'is not', null)
        .where('follow_next_at', '<=', t)
        .where((eb) => eb.or([eb('follow_owner', '=', owner), eb('follow_until', 'is', null), eb('follow_until', '<', t)]))
        .orderBy('follow_next_at')
        .limit(limit)
        .execute();
      const claimed: FollowedChange[] = [];
      for (const r of due) {
        // Conditional: between the read and this write another server may have claimed it.
        const won = await db
          .updateTable('audit_log')
          .set({ follow_owner: owner, follow_until: until })
          .where('id', '=', r.id)
          .where('follow_next_at', 'is not', null)
          .where((eb) => eb.or([eb('follow_owner', '=', owner), eb('follow_until', 'is', null), eb('follow_until', '<', t)]))
          .executeTakeFirst();
        if (Number(won.numUpdatedRows) !== 1) continue;
        claimed.push({
          id: r.id,
          at: iso(r.at)!,
          taskId: r.task_id,
          interfaceId: r.interface_id,
          toProfile: { id: r.to_profile_id, permalink: r.to_profile_permalink },
          scope: r.scope,
          errors: r.follow_errors,
          dueAt: iso(r.follow_next_at)!,
          lastStatus: r.task_answer_status,
          minIntervalMs: r.follow_min_interval_ms,
        });
      }
      return claimed;
    },

    async nextDue(owner) {
      const t = stamp();
      const open = db.selectFrom('audit_log').where('follow_next_at', 'is not', null);
      const [claimable, leased] = await Promise.all([
        open
          .select((eb) => eb.fn.min('follow_next_at').as('at'))
          .where((eb) => eb.or([eb('follow_owner', '=', owner), eb('follow_until', 'is', null), eb('follow_until', '<', t)]))
          .executeTakeFirst(),
        open
          .select((eb) => eb.fn.min('follow_until').as('at'))
          .where('follow_owner', '!=', owner)
          .where('follow_until', '>=', t)
          .executeTakeFirst(),
      ]);
      const times = [claimable?.at, leased?.at].filter((v) => v !== null && v !== undefined).map((v) => Date.parse(iso(v)!));
      return times.length > 0 ? new Date(Math.min(...times)) : undefined;
    },

    async recordFollow(id, owner, leaseMs, result) {
      const t = stamp();
      const lease = { follow_until: new Date(now().getTime() + leaseMs).toISOString() };
      let set: Partial<AuditTable>;
      if (result.kind === 'retry') {
        set = {
          ...lease,
          follow_next_at: result.nextAt.toISOString(),
          follow_errors: sql<number>`follow_errors + 1` as unknown as number,
          ...(result.answer
            ? { task_json: result.answer.body, task_answer_status: result.answer.status, task_retry_after: result.answer.retryAfter ?? null }
            : {}),
          ...(result.minIntervalMs ? { follow_min_interval_ms: result.minIntervalMs } : {}),
        };
      } else if (result.kind === 'end') {
        set = { ...ending(result.outcome, t), error_code: result.errorCode };
      } else {
        const json = {
          task_json: result.taskJson,
          task_progress: result.progress,
          task_answer_status: 200,
          task_retry_after: null,
          last_seen_at: t,
          follow_errors: 0,
        };
        set =
          result.status === 'completed' || result.status === 'failed'
            ? { ...ending(result.status, t), ...json }
            : { ...lease, ...json, outcome: 'running', updated_at: t, follow_next_at: result.nextAt.toISOString() };
      }
      const r = await db
        .updateTable('audit_log')
        .set(set)
        .where('id', '=', id)
        .where('follow_owner', '=', owner)
        .where('outcome', 'in', OPEN)
        .executeTakeFirst();
      const held = Number(r.numUpdatedRows) === 1;
      if (held && (result.kind !== 'retry' || result.answer)) published(id);
      return held;
    },

    async releaseLeases(owner) {
      await db.updateTable('audit_log').set({ follow_owner: null, follow_until: null }).where('follow_owner', '=', owner).execute();
    },

    async followedTask(taskId, scope) {
      const r = await scoped(
        db
          .selectFrom('audit_log')
          .select(['task_json', 'task_answer_status', 'task_retry_after', 'outcome', 'follow_until'])
          .where('task_id', '=', taskId),
        scope,
      )
        .orderBy('at', 'desc')
        .executeTakeFirst();
      if (!r?.task_json) return undefined;
      const ended = r.outcome !== 'pending' && r.outcome !== 'running';
      // Open and no live lease: no server is following it now, so its last view may be stale.
      if (!ended && (r.follow_until === null || Date.parse(iso(r.follow_until)!) < now().getTime())) return undefined;
      // Ended without a task answer of its own (settled by the interface, or never seen to end): Katapult is asked.
      if (ended && r.outcome !== 'completed' && r.outcome !== 'failed' && r.task_answer_status !== 200) return undefined;
      return { status: r.task_answer_status ?? 200, body: r.task_json, retryAfter: r.task_retry_after ?? undefined, ended };
    },

    async changeOfTask(taskId, scope) {
      const r = await scoped(db.selectFrom('audit_log').select('id').where('task_id', '=', taskId).where('outcome', 'in', OPEN), scope)
        .executeTakeFirst();
      return r?.id;
    },

    async get(id, view = {}) {
      const r = await scoped(db.selectFrom('audit_log').selectAll().where('id', '=', id), view.lockScope).executeTakeFirst();
      return r ? (await entriesOf([r], view.lockScope))[0] : undefined;
    },

    async changedSince(since, filters, view = {}) {
      const rows = await scoped(filtered(db.selectFrom('audit_log').selectAll(), filters), view.lockScope)
        .where('updated_at', '>', since)
        .orderBy('updated_at')
        .orderBy('id')
        .limit(500)
        .execute();
      return entriesOf(rows, view.lockScope);
    },

    list: page,

    async *all(filters, view: LockView = {}) {
      let cursor: AuditPage['cursor'];
      for (;;) {
        const { entries, next_cursor } = await page(filters, { limit: 500, ...(cursor ? { cursor } : {}) }, view);
        yield* entries;
        const last = entries.at(-1);
        if (!next_cursor || !last) return;
        cursor = { at: last.at, id: last.id };
      }
    },

    async countByOutcome() {
      const rows = await db.selectFrom('audit_log').select(['outcome', (eb) => eb.fn.countAll().as('n')]).groupBy('outcome').execute();
      const counts = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<AuditTable['outcome'], number>;
      // PostgreSQL's count is a bigint, which pg reads as a string.
      for (const r of rows) counts[r.outcome] = Number(r.n);
      return counts;
    },

    async countFollowed() {
      const r = await db.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).where('follow_next_at', 'is not', null).executeTakeFirst();
      return Number(r?.n ?? 0);
    },

    async recordDemoHistory(scope, changes) {
      return db.transaction().execute(async (tx) => {
        const any = await tx.selectFrom('audit_log').select('id').where('scope', '=', scope).limit(1).executeTakeFirst();
        if (any || changes.length === 0) return 0;
        await tx
          .insertInto('audit_log')
          .values(
            changes.map((c) => {
              const ended = c.endedAt.toISOString();
              const ran = c.taskId !== null;
              return {
                id: auditId(c.at.getTime()),
                at: c.at.toISOString(),
                ...changeColumns(c),
                outcome: c.outcome,
                task_id: c.taskId,
                error_code: c.errorCode,
                last_seen_at: ran ? ended : null,
                ended_at: ended,
                lock_key: null,
                lock_expired_at: null,
                scope,
                updated_at: ended,
                task_json: null,
                task_progress: ran ? (c.outcome === 'completed' ? 100 : 40) : null,
                ...NOT_FOLLOWED,
              };
            }),
          )
          .execute();
        return changes.length;
      });
    },

    async prune() {
      const cutoff = new Date(now().getTime() - config.retentionDays * 86_400_000).toISOString();
      const r = await db.deleteFrom('audit_log').where('at', '<', cutoff).where('follow_next_at', 'is', null).executeTakeFirst();
      return Number(r.numDeletedRows);
    },

    close: () => db.destroy(),
  };
}
