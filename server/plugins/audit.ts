/**
 * The audit log. Hooks into the proxy (plugins/proxy.ts): a speed change is recorded before it
 * leaves and refused with 503 audit_unavailable when it cannot be; its answer and the task answers
 * the proxy relays complete the record. Serves GET /api/panel/audit (JSON, cursor pages) and
 * /api/panel/audit.csv, never cached. Prunes records past the retention at start and hourly, and
 * closes the store with the server.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { Readable } from 'node:stream';
import { csvHeader, csvRow } from '../audit/csv.ts';
import { AuditFilterError, parseCsvQuery, parseListQuery } from '../audit/filters.ts';
import { AuditUnavailable, CHANGE_PATH, createChangeAudit, INTERFACE_PATH, TASK_PATH } from '../audit/proxy-audit.ts';
import { ChangeInProgress, type AuditEntry, type AuditStore } from '../audit/store.ts';
import { CHANGE_IN_PROGRESS, type ChangeInProgressDetail } from '../../protocol/audit.ts';
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
  /** Demo mode: the browser's mock session, so each browser's interfaces are locked apart and its audit is its own. */
  lockScope?: ((req: FastifyRequest) => string | undefined) | undefined;
}

export const audit = fp(
  async (app: FastifyInstance, opts: AuditPluginOptions) => {
    const { store, lockScope } = opts;
    const changes = createChangeAudit(store, { trustedUserHeader: opts.trustedUserHeader, lockScope });

    app.panelProxy.beforeForward(async ({ request, body }) => {
      try {
        const id = await changes.beforeChange(request, body, (interfaceId) =>
          app.panelProxy.get(request, INTERFACE_PATH, { 'virtual_machine_network_interface[id]': interfaceId }),
        );
        auditIds.set(request, id);
        // Every later line of this request, the request line included, names its audit record.
        request.log = request.log.child({ auditId: id });
      } catch (e) {
        if (e instanceof ChangeInProgress) return { status: 409, body: inProgress(e.holder) };
        if (!(e instanceof AuditUnavailable)) throw e;
        return { status: 503, body: katapultError('audit_unavailable', UNAVAILABLE) };
      }
    });
    app.panelProxy.afterAnswer(async ({ request, method, path, status, json }) => {
      const id = auditIds.get(request);
      if (method === 'PATCH' && path === CHANGE_PATH && id) await changes.afterChange(id, status, json, request.log);
      else if (method === 'GET' && path === TASK_PATH) await changes.afterTask(status, json, request.log);
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
    });
    app.addHook('onClose', async () => {
      clearInterval(timer);
      await store.close();
    });
  },
  // After the permission plugin, so that its refusal comes before any lock is taken.
  { name: 'panel-audit', dependencies: ['panel-proxy', 'panel-permission'] },
);
