/**
 * The audit log. Hooks into the proxy (plugins/proxy.ts): a speed change is recorded before it
 * leaves and refused with 503 audit_unavailable when it cannot be; its answer and the task answers
 * the proxy relays complete the record. Serves GET /api/panel/audit (JSON, cursor pages) and
 * /api/panel/audit.csv, never cached. Prunes records past the retention at start and hourly, and
 * closes the store with the server.
 */
import type { DemoUser } from '../audit/context.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Readable } from 'node:stream';
import { createFollower, LEASE_MS, type Follower } from '../changes/follower.ts';
import { csvHeader, csvRow } from '../audit/csv.ts';
import { AuditFilterError, parseCsvQuery, parseListQuery } from '../audit/filters.ts';
import { AuditUnavailable, CHANGE_PATH, createChangeAudit, TASK_PATH } from '../audit/proxy-audit.ts';
import { ChangeInProgress, type AuditEntry, type AuditStore } from '../audit/store.ts';
import { CHANGE_BACK_NOT_POSSIBLE, CHANGE_IN_PROGRESS, type ChangeInProgressDetail } from '../../protocol/audit.ts';
import { CHANGE_BACK_HEADER } from '../../protocol/panel.ts';
import { katapultError, sendError } from '../http-errors.ts';

export const PRUNE_INTERVAL_MS = 60 * 60 * 1000;
const UNAVAILABLE =
  'The audit log’s database cannot be reached, so the panel’s server records nothing and changes nothing until it is back.';

type Query = Record<string, string | string[] | undefined>;

/** The audit id of the change a request carries, kept beside the request rather than on it. */
const auditIds = new WeakMap<FastifyRequest, string>();

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

export interface AuditPluginOptions {
  store: AuditStore;
  trustedUserHeader: string | undefined;
  /** Demo mode: each browser's readable name (server/audit/demo-user.ts). */
  demoUser?: DemoUser | undefined;
  /** Demo mode: the browser's mock session, so each browser's interfaces are locked apart and its audit is its own. */
  lockScope?: ((req: FastifyRequest) => string | undefined) | undefined;
  /** Demo mode: the cookie that reaches a scope's mock session, for the follower's own calls. */
  cookieOfScope?: ((scope: string) => string | undefined) | undefined;
  /** Per-user mode: the follower uses the token of the request that started the change (kept in memory only). */
  perUser: boolean;
  /** TASK_FOLLOW_MINUTES. */
  taskFollowMinutes: number;
  /** `manual`: the follower looks only when a test calls `app.panelFollower.tick()`. */
  follower?: 'auto' | 'manual' | undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    panelFollower: Follower;
  }
}

const headerOf = (req: FastifyRequest, name: string) => {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
};

export const audit = fp(
  async (app: FastifyInstance, opts: AuditPluginOptions) => {
    const { store, lockScope } = opts;
    // This process, as the owner of the follow leases it takes.
    const owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    const changes = createChangeAudit(store, { trustedUserHeader: opts.trustedUserHeader, demoUser: opts.demoUser, lockScope, follow: { owner, leaseMs: LEASE_MS } });
    /** Per-user mode: each open change's token, never written or logged, dropped when the change ends. */
    const tokens = new Map<string, string>();

    const follower = createFollower({
      store,
      owner,
      now: () => store.now(),
      followMs: opts.taskFollowMinutes * 60_000,
      log: app.log,
      onEnd: (id) => tokens.delete(id),
      read: async (change, path, query) => {
        const perUserAuthorization = opts.perUser ? tokens.get(change.id) : undefined;
        if (opts.perUser && !perUserAuthorization) return undefined;
        const cookie = change.scope ? opts.cookieOfScope?.(change.scope) : undefined;
        return app.panelProxy.getAs({ perUserAuthorization, cookie }, path, query);
      },
    });
    app.decorate('panelFollower', follower);
    app.panelMetrics.observeAudit({
      countByOutcome: () => store.countByOutcome(),
      countFollowed: () => store.countFollowed(),
      lagMs: () => follower.stats.lagMs,
    });

    app.panelProxy.beforeForward(async ({ request, body }) => {
      const changeBack = headerOf(request, CHANGE_BACK_HEADER);
      if (changeBack !== undefined) {
        // The server decides whether "Change back" is possible now, not the page that offered it.
        const row = await store.get(changeBack.slice(0, 100), { lockScope: lockScope?.(request) }).catch(() => undefined);
        if (!row?.can_change_back || row.interface_id !== body.virtual_machine_network_interface.id) {
          app.panelMetrics.refused(CHANGE_BACK_NOT_POSSIBLE);
          return {
            status: 409,
            body: katapultError(
              CHANGE_BACK_NOT_POSSIBLE,
              'This change can no longer be changed back: a newer change of the interface exists or is running. Nothing was sent to Katapult.',
              { change_id: changeBack.slice(0, 100) },
            ),
          };
        }
      }
      try {
        const id = await changes.beforeChange(request, body, (path, query) => app.panelProxy.get(request, path, query));
        auditIds.set(request, id);
        if (opts.perUser && request.headers.authorization) tokens.set(id, request.headers.authorization);
        // Every later line of this request, the request line included, names its audit record.
        request.log = request.log.child({ auditId: id });
      } catch (e) {
        if (e instanceof ChangeInProgress) {
          app.panelMetrics.refused(CHANGE_IN_PROGRESS);
          return { status: 409, body: inProgress(e.holder) };
        }
        if (!(e instanceof AuditUnavailable)) throw e;
        return { status: 503, body: katapultError('audit_unavailable', UNAVAILABLE) };
      }
    });
    app.panelProxy.afterAnswer(async ({ request, method, path, status, json, failure }) => {
      const id = auditIds.get(request);
      if (method === 'PATCH' && path === CHANGE_PATH && id) {
        await changes.afterChange(id, status, json, request.log, failure);
        if (failure?.neverSent || status >= 300) tokens.delete(id);
      } else if (method === 'GET' && path === TASK_PATH && !failure) await changes.afterTask(status, json, request.log);
    });

    // One poll per task, whatever the number of viewers: a task the server follows is answered from
    // the follower's last view; any other task is forwarded as before.
    app.panelProxy.beforeRead(async ({ request, path, query }) => {
      if (path !== TASK_PATH) return;
      const taskId = new URLSearchParams(query.slice(1)).get('task[id]');
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
      return known ? { status: known.status, body: known.body, retryAfter: known.retryAfter } : undefined;
    });

    const fail = (req: FastifyRequest, reply: FastifyReply, e: unknown) => {
      if (e instanceof AuditFilterError) return sendError(reply, 400, 'invalid_audit_filter', e.message, { parameter: e.parameter });
      req.log.error({ err: e }, 'audit database unavailable');
      return sendError(reply, 503, 'audit_unavailable', UNAVAILABLE);
    };

    app.get('/api/panel/audit', async (req, reply) => {
      reply.header('cache-control', 'no-store');
      try {
        const { filters, page } = parseListQuery(req.query as Query);
        return await store.list(filters, page, { lockScope: lockScope?.(req) });
      } catch (e) {
        return fail(req, reply, e);
      }
    });

    app.get('/api/panel/audit.csv', async (req, reply) => {
      reply.header('cache-control', 'no-store');
      try {
        const rows = store.all(parseCsvQuery(req.query as Query), { lockScope: lockScope?.(req) });
        // The first page is read before the headers go out, so a database that is down still gets its 503.
        const first = await rows.next();
        async function* lines() {
          yield csvHeader();
          if (first.done) return;
          yield csvRow(first.value);
          for await (const e of rows) yield csvRow(e);
        }
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', 'attachment; filename="audit-log.csv"')
          .send(Readable.from(lines()));
      } catch (e) {
        return fail(req, reply, e);
      }
    });

    const prune = () =>
      store.prune().then(
        (n) => n > 0 && app.log.info({ pruned: n }, 'audit retention: old records deleted'),
        (e: unknown) => app.log.warn({ err: e }, 'audit retention: prune failed'),
      );
    let timer: NodeJS.Timeout | undefined;
    app.addHook('onReady', async () => {
      await prune();
      timer = setInterval(() => void prune(), PRUNE_INTERVAL_MS).unref();
      // Resumes every open change: those of a server that stopped are claimed once their lease ran out.
      if (opts.follower !== 'manual') follower.start();
    });
    app.addHook('onClose', async () => {
      clearInterval(timer);
      await follower.stop();
      await store.close();
    });
  },
  // After the permission plugin, so that its refusal comes before any lock is taken.
  { name: 'panel-audit', dependencies: ['panel-proxy', 'panel-permission', 'panel-metrics'] },
);
