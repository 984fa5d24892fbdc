/**
 * The change path, as Fastify hooks on the two routes it concerns (plugins/proxy.ts puts them there):
 *
 * - PATCH …/update_speed_profile: `preHandler` in order, may change (plugins/permission.ts, 403),
 *   change back still possible (409), the record written and the interface's lock taken (409
 *   change_in_progress, 503 audit_unavailable), each refusal sent before anything reaches Katapult;
 *   `onSend` records Katapult's answer (a task, an error, or a lost answer) before it leaves.
 * - GET /tasks/task: `preHandler` answers a task the server follows from the follower's last view
 *   (one poll per task, whatever the number of viewers); `onSend` records a relayed task state.
 *
 * And the follower, which looks at every open change's task through the same client.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CHANGE_BACK_NOT_POSSIBLE, CHANGE_IN_PROGRESS, type ChangeInProgressDetail } from '../../protocol/audit.ts';
import { CHANGE_BACK_HEADER } from '../../protocol/panel.ts';
import type { DemoUser } from '../audit/context.ts';
import type { PermissionConfig } from '../audit/permission.ts';
import { AuditUnavailable, CHANGE_PATH, createChangeAudit, TASK_PATH } from '../audit/proxy-audit.ts';
import { ChangeInProgress, type AuditEntry, type AuditStore } from '../audit/store.ts';
import { katapultError } from '../http-errors.ts';
import { mayChange } from '../plugins/permission.ts';
import type { RouteHooks } from '../plugins/proxy.ts';
import type { ChangeFeed } from './feed.ts';
import { createFollower, LEASE_MS, type Follower } from './follower.ts';

export const AUDIT_UNAVAILABLE =
  'The audit log’s database cannot be reached, so the panel’s server records nothing and changes nothing until it is back.';

/** The 409 for a change while another holds the interface: who, when, to what, in words and as data. */
function inProgress(holder: AuditEntry) {
  const to = holder.to_profile.name ?? holder.to_profile.permalink ?? holder.to_profile.id ?? 'another profile';
  const detail: ChangeInProgressDetail = {
    change: holder,
    user: holder.user,
    started_at: holder.at,
    to_profile: holder.to_profile,
    blocking_until: holder.blocking_until ?? holder.at,
  };
  return katapultError(
    CHANGE_IN_PROGRESS,
    `${holder.user} started a change of this interface to ${to} at ${holder.at}, and it has not been seen to end. ` +
      'One change at a time: nothing was sent to Katapult; try again once it has ended.',
    { ...detail },
  );
}

const headerOf = (req: FastifyRequest, name: string) => {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
};

const refuse = (reply: FastifyReply, status: number, body: unknown) => reply.code(status).header('cache-control', 'no-store').send(body);

export interface ChangePathOptions {
  /** CHANGE_GROUPS and the trusted headers (the user too, for every record). */
  permission: PermissionConfig;
  /** The audit log; without one, the change route only checks permission and nothing is followed. */
  store: AuditStore | undefined;
  /** Demo mode: each browser's readable name. */
  demoUser?: DemoUser | undefined;
  /** Demo mode: the browser's mock session, so each browser's interfaces are locked apart and its audit is its own. */
  lockScope?: ((req: FastifyRequest) => string | undefined) | undefined;
  /** Demo mode: the cookie that reaches a scope's mock session, for the follower's own calls. */
  cookieOfScope?: ((scope: string) => string | undefined) | undefined;
  /** Per-user mode: the follower uses the token of the request that started the change (kept in memory only). */
  perUser: boolean;
  /** TASK_FOLLOW_MINUTES. */
  taskFollowMinutes: number;
  /** The change feed, which wakes the follower when a record is written (follower.ts: `wake`). */
  feed?: ChangeFeed | undefined;
}

export interface ChangePath {
  /** By Katapult path: the change route's hooks and the task route's. */
  routeHooks: Record<string, RouteHooks>;
  /** Follows every open change to its end (undefined without an audit log). */
  follower: Follower | undefined;
}

/** `app` is where the hooks call Katapult (`app.panelProxy`), count refusals and log. */
export function createChangePath(app: FastifyInstance, opts: ChangePathOptions): ChangePath {
  const { store, lockScope } = opts;
  const permitted = mayChange(opts.permission, store);
  if (!store) return { routeHooks: { [CHANGE_PATH]: { preHandler: [permitted] } }, follower: undefined };

  // This process, as the owner of the follow leases it takes.
  const owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const changes = createChangeAudit(store, {
    trustedUserHeader: opts.permission.trustedUserHeader,
    demoUser: opts.demoUser,
    lockScope,
    follow: { owner, leaseMs: LEASE_MS },
  });
  /** Per-user mode: each open change's token, never written or logged, dropped when the change ends. */
  const tokens = new Map<string, string>();

  const follower = createFollower({
    store,
    owner,
    now: () => store.now(),
    followMs: opts.taskFollowMinutes * 60_000,
    log: app.log,
    onEnd: (id) => tokens.delete(id),
    wake: opts.feed ? (onWrite) => opts.feed!.subscribe(() => onWrite(), onWrite) : undefined,
    read: async (change, path, query) => {
      const perUserAuthorization = opts.perUser ? tokens.get(change.id) : undefined;
      if (opts.perUser && !perUserAuthorization) return undefined;
      const cookie = change.scope ? opts.cookieOfScope?.(change.scope) : undefined;
      return app.panelProxy.getAs({ perUserAuthorization, cookie }, path, query);
    },
  });

  /** The audit id of the change a request carries, kept beside the request rather than on it. */
  const auditIds = new WeakMap<FastifyRequest, string>();

  /** The server decides whether "Change back" is possible now, not the page that offered it. */
  const changeBackPossible = async (request: FastifyRequest, reply: FastifyReply) => {
    const changeBack = headerOf(request, CHANGE_BACK_HEADER);
    if (changeBack === undefined) return;
    const body = request.katapultCall!.body!;
    const row = await store.get(changeBack.slice(0, 100), { lockScope: lockScope?.(request) }).catch(() => undefined);
    if (row?.can_change_back && row.interface_id === body.virtual_machine_network_interface.id) return;
    app.panelMetrics.refused(CHANGE_BACK_NOT_POSSIBLE);
    return refuse(
      reply,
      409,
      katapultError(
        CHANGE_BACK_NOT_POSSIBLE,
        'This change can no longer be changed back: a newer change of the interface exists or is running. Nothing was sent to Katapult.',
        { change_id: changeBack.slice(0, 100) },
      ),
    );
  };

  /** The record is written first: it takes the interface's lock, so a refused change costs Katapult no call. */
  const recordAndLock = async (request: FastifyRequest, reply: FastifyReply) => {
    try {
      const id = await changes.beforeChange(request, request.katapultCall!.body!, (path, query) => app.panelProxy.get(request, path, query));
      auditIds.set(request, id);
      if (opts.perUser && request.headers.authorization) tokens.set(id, request.headers.authorization);
      // Every later line of this request, the request line included, names its audit record.
      request.log = request.log.child({ auditId: id });
    } catch (e) {
      if (e instanceof ChangeInProgress) {
        app.panelMetrics.refused(CHANGE_IN_PROGRESS);
        return refuse(reply, 409, inProgress(e.holder));
      }
      if (!(e instanceof AuditUnavailable)) throw e;
      return refuse(reply, 503, katapultError('audit_unavailable', AUDIT_UNAVAILABLE));
    }
  };

  /** Whatever goes wrong recording an answer is logged; the answer itself always leaves as it is. */
  const logged = (what: string, record: (request: FastifyRequest) => Promise<void>) => async (request: FastifyRequest) => {
    try {
      await record(request);
    } catch (e) {
      request.log.error({ err: e }, `audit: ${what} not recorded`);
    }
  };

  const recordAnswer = logged('the change’s answer', async (request) => {
    const id = auditIds.get(request);
    const answer = request.katapultAnswer;
    if (!id || !answer) return;
    await changes.afterChange(id, answer.status, answer.json, request.log, answer.failure);
    if (answer.failure?.neverSent || answer.status >= 300) tokens.delete(id);
  });

  const recordTask = logged('the task’s state', async (request) => {
    const answer = request.katapultAnswer;
    if (answer && !answer.failure) await changes.afterTask(answer.status, answer.json, request.log);
  });

  /** A task the server follows is answered from the follower's last view; any other is forwarded. */
  const followedTask = async (request: FastifyRequest, reply: FastifyReply) => {
    const taskId = new URLSearchParams(request.katapultCall!.query.slice(1)).get('task[id]');
    if (!taskId) return;
    const scope = lockScope?.(request);
    if (opts.perUser) {
      const changeId = await store.changeOfTask(taskId, scope).catch(() => undefined);
      // After a restart the server has no token for it: this browser's lets the follower resume.
      if (changeId && !tokens.has(changeId) && request.headers.authorization) {
        tokens.set(changeId, request.headers.authorization);
        return;
      }
    }
    const known = await store.followedTask(taskId, scope).catch(() => undefined);
    if (!known) return;
    reply.code(known.status).header('cache-control', 'no-store').header('content-type', 'application/json; charset=utf-8');
    if (known.retryAfter) reply.header('retry-after', known.retryAfter);
    return reply.send(known.body);
  };

  return {
    routeHooks: {
      [CHANGE_PATH]: { preHandler: [permitted, changeBackPossible, recordAndLock], onSend: [recordAnswer] },
      [TASK_PATH]: { preHandler: [followedTask], onSend: [recordTask] },
    },
    follower,
  };
}
