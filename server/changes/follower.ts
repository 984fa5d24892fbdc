/**
 * The server follows every change it accepted to its end, whether or not a browser is open: it
 * looks at the change's task with GET /tasks/task, records each state in the change's audit record,
 * and ends the record (freeing the interface) the moment the task ends. What is followed lives in
 * the database, not in this process: each look is claimed with a lease (a conditional UPDATE), so
 * with several servers on one PostgreSQL exactly one follows a change at a time, and another takes
 * it over once the holder's lease runs out. A server starting resumes every open change the same way.
 */
import type { FastifyBaseLogger } from 'fastify';
import * as z from 'zod/mini';
import { interfaceAnswer, taskAnswer } from '../audit/context.ts';
import { INTERFACE_PATH, TASK_PATH } from '../audit/proxy-audit.ts';
import type { AuditStore, FollowedChange, FollowResult, TaskAnswer } from '../audit/store.ts';


/** How long a server's claim on a change holds without being renewed (each look renews it). */
export const LEASE_MS = 15_000;
/** Without a change feed: how often the follower asks the database for changes due a look. */
export const TICK_MS = 250;
/**
 * With a change feed (which wakes it when a record is written), the longest the follower sleeps
 * between two rounds: the safety poll, for an event lost while the feed was deaf.
 */
export const SAFETY_POLL_MS = 5000;
/** A change whose answer was lost is settled within this long by reading its interface. */
export const SETTLE_MS = 5 * 60_000;

/** First look about 1 s after the change, every 1–2 s while it is young, slower as it ages. */
export function lookInterval(ageMs: number): number {
  if (ageMs < 60_000) return 1000;
  if (ageMs < 5 * 60_000) return 2000;
  if (ageMs < 15 * 60_000) return 5000;
  return 10_000;
}

/** After a 503, a network error or another unexpected answer: 2, 4, 8, 16, then every 30 s. */
export const backoff = (errors: number) => Math.min(30_000, 1000 * 2 ** Math.min(errors + 1, 5));

/** A 429's Retry-After (seconds or an HTTP date), else 5 s; never more than a minute. */
export function retryAfterMs(header: string | undefined, nowMs: number): number {
  if (header && /^\d+$/.test(header.trim())) return Math.min(60_000, Number(header) * 1000);
  const date = header ? Date.parse(header) : NaN;
  if (!Number.isNaN(date)) return Math.min(60_000, Math.max(1000, date - nowMs));
  return 5000;
}

const errorCode = z.object({ error: z.object({ code: z.string() }) });
const rateLimit = z.object({ error: z.object({ detail: z.optional(z.object({ total_permitted: z.optional(z.number()) })) }) });

/** After a 429: the spacing the token's rate limit allows (its `total_permitted` a minute), at least 2 s. */
export function rateLimitedInterval(json: unknown): number {
  const permitted = z.safeParse(rateLimit, json);
  const n = permitted.success ? permitted.data.error.detail?.total_permitted : undefined;
  return n && n > 0 ? Math.max(2000, Math.ceil(60_000 / n)) : 2000;
}

export type Read = (
  change: FollowedChange,
  path: string,
  query: Record<string, string>,
) => Promise<{ status: number; json: unknown; retryAfter?: string | undefined } | undefined>;

export interface FollowerOptions {
  store: AuditStore;
  /** This process, as the lease's owner. */
  owner: string;
  now: () => Date;
  /** A GET of Katapult with the change's credentials; undefined when there are none (per-user mode after a restart). */
  read: Read;
  /** TASK_FOLLOW_MINUTES: a task not ended by then is recorded as never seen to end. */
  followMs: number;
  log: FastifyBaseLogger;
  /** Told when a change ends (per-user tokens are dropped then). */
  onEnd?: (id: string) => void;
  /**
   * Subscribes to every audit write (the change feed; `gap`: events may have been lost) and returns
   * the unsubscribe function. With it the follower sleeps until the next look is due, the feed wakes
   * it, or SAFETY_POLL_MS passes; without it, it asks the database every TICK_MS.
   */
  wake?: ((onWrite: () => void) => () => void) | undefined;
}

export interface Follower {
  /** One round: claim the changes due a look, and look at each. */
  tick(): Promise<void>;
  /** Runs `tick` until `stop`: when a look is due or the feed tells of a write (else every TICK_MS). */
  start(): void;
  /** Stops, waits for the round in flight, and gives this server's leases up so another takes them at once. */
  stop(): Promise<void>;
  /** How many changes the last round looked at, and how late its most overdue look was, 0 when none was due (for /metrics). */
  readonly stats: { looked: number; lagMs: number };
}

export function createFollower(o: FollowerOptions): Follower {
  const stats = { looked: 0, lagMs: 0 };
  const at = (ms: number) => new Date(o.now().getTime() + ms);

  /** Settles a change whose task is unknown by the interface's profile: on the target, it was made. */
  async function settle(c: FollowedChange, ageMs: number, code: string, answer?: TaskAnswer): Promise<FollowResult> {
    const r = await o.read(c, INTERFACE_PATH, { 'virtual_machine_network_interface[id]': c.interfaceId });
    if (r?.status === 200) {
      const p = interfaceAnswer.safeParse(r.json);
      const now = p.success ? p.data.virtual_machine_network_interface.speed_profile : undefined;
      const onTarget = !!now && ((!!c.toProfile.id && now.id === c.toProfile.id) || (!!c.toProfile.permalink && now.permalink === c.toProfile.permalink));
      if (onTarget) return { kind: 'end', outcome: 'completed', errorCode: null };
    }
    if (ageMs >= SETTLE_MS) return { kind: 'end', outcome: 'unknown', errorCode: code };
    return { kind: 'retry', nextAt: at(r?.status === 429 ? retryAfterMs(r.retryAfter, o.now().getTime()) : 5000), answer };
  }

  async function lookAt(c: FollowedChange): Promise<FollowResult | undefined> {
    const ageMs = o.now().getTime() - Date.parse(c.at);
    if (ageMs >= o.followMs) return { kind: 'end', outcome: 'unknown', errorCode: 'task_follow_timeout' };
    if (!c.taskId) return settle(c, ageMs, 'answer_lost');
    // Katapult said it no longer knows the task: only the interface can tell now.
    if (c.lastStatus === 404) return settle(c, ageMs, 'task_not_found');
    const r = await o.read(c, TASK_PATH, { 'task[id]': c.taskId });
    if (!r) return { kind: 'retry', nextAt: at(5000) };
    const answer: TaskAnswer = { status: r.status, body: JSON.stringify(r.json ?? null), retryAfter: r.retryAfter };
    if (r.status === 200) {
      const t = taskAnswer.safeParse(r.json);
      if (t.success && t.data.task.status) {
        return {
          kind: 'task',
          status: t.data.task.status,
          progress: t.data.task.progress,
          taskJson: answer.body,
          nextAt: at(Math.max(lookInterval(ageMs), c.minIntervalMs)),
        };
      }
    }
    if (r.status === 429) {
      const minIntervalMs = rateLimitedInterval(r.json);
      return { kind: 'retry', nextAt: at(Math.max(retryAfterMs(r.retryAfter, o.now().getTime()), minIntervalMs)), answer, minIntervalMs };
    }
    const code = z.safeParse(errorCode, r.json);
    if (r.status === 404 && code.success && code.data.error.code === 'task_not_found') return settle(c, ageMs, 'task_not_found', answer);
    return { kind: 'retry', nextAt: at(backoff(c.errors)), answer };
  }

  async function follow(c: FollowedChange) {
    let result: FollowResult | undefined;
    o.log.debug({ auditId: c.id, taskId: c.taskId }, 'follower: look');
    try {
      result = await lookAt(c);
    } catch (e) {
      // Katapult unreachable, a deadline: the change stays open and is looked at again, later.
      o.log.warn({ auditId: c.id, reason: e instanceof Error ? e.message : String(e) }, 'follower: look failed; backing off');
      result = { kind: 'retry', nextAt: at(backoff(c.errors)) };
    }
    if (!result) return;
    const held = await o.store.recordFollow(c.id, o.owner, LEASE_MS, result);
    const ended = result.kind === 'end' || (result.kind === 'task' && (result.status === 'completed' || result.status === 'failed'));
    if (held && ended) {
      const outcome = result.kind === 'end' ? result.outcome : result.kind === 'task' ? result.status : undefined;
      o.log.info({ auditId: c.id, taskId: c.taskId, outcome }, 'follower: change ended');
      o.onEnd?.(c.id);
    }
  }

  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  /** A write told while a round was running: one more round follows it. */
  let again = false;
  let unsubscribe: (() => void) | undefined;

  async function tick() {
    const claimed = await o.store.claimDue(o.owner, LEASE_MS, 25);
    const nowMs = o.now().getTime();
    stats.looked = claimed.length;
    // Nothing due is no lag: a value kept from an earlier busy round would read as a lag that is over.
    stats.lagMs = claimed.length > 0 ? Math.max(0, ...claimed.map((c) => nowMs - Date.parse(c.dueAt))) : 0;
    await Promise.all(claimed.map(follow));
  }

  /** How long to sleep after a round: until the next look is due, at most SAFETY_POLL_MS (with a feed). */
  async function pause(): Promise<number> {
    if (!o.wake) return TICK_MS;
    const next = await o.store.nextDue(o.owner);
    if (!next) return SAFETY_POLL_MS;
    return Math.min(SAFETY_POLL_MS, Math.max(0, next.getTime() - o.now().getTime()));
  }

  const round = () => {
    again = false;
    running = tick()
      .then(pause)
      .catch((e: unknown) => {
        o.log.warn({ reason: e instanceof Error ? e.message : String(e) }, 'follower: round failed (database?)');
        return o.wake ? SAFETY_POLL_MS : TICK_MS;
      })
      .then((wait) => {
        running = undefined;
        if (stopped) return;
        timer = setTimeout(round, again ? 0 : wait).unref();
      });
  };

  const woken = () => {
    if (stopped) return;
    if (running) return void (again = true);
    clearTimeout(timer);
    round();
  };

  return {
    tick,
    stats,
    start() {
      stopped = false;
      unsubscribe = o.wake?.(woken);
      round();
    },
    async stop() {
      stopped = true;
      unsubscribe?.();
      clearTimeout(timer);
      await running;
      await o.store.releaseLeases(o.owner).catch(() => {});
    },
  };
}
