/**
 * The audit log's own routes: GET /api/panel/audit (JSON, cursor pages) and /api/panel/audit.csv,
 * never cached, and its retention (records past it are pruned at start and hourly). What writes the
 * log is on the change and task routes (server/changes/route-hooks.ts); the store is closed by the
 * follower's plugin, after the follower's last write.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import { csvHeader, csvRow } from '../audit/csv.ts';
import { AuditFilterError, parseCsvQuery, parseListQuery } from '../audit/filters.ts';
import type { AuditStore } from '../audit/store.ts';
import { AUDIT_UNAVAILABLE } from '../changes/route-hooks.ts';
import { sendError } from '../http-errors.ts';

export const PRUNE_INTERVAL_MS = 60 * 60 * 1000;

type Query = Record<string, string | string[] | undefined>;

export interface AuditPluginOptions {
  store: AuditStore;
  /** Demo mode: the browser's mock session, whose records alone it lists. */
  lockScope?: ((req: FastifyRequest) => string | undefined) | undefined;
}

/** No fastify-plugin: its routes and timer concern no other plugin. */
export async function audit(app: FastifyInstance, { store, lockScope }: AuditPluginOptions) {
  const fail = (req: FastifyRequest, reply: FastifyReply, e: unknown) => {
    if (e instanceof AuditFilterError) return sendError(reply, 400, 'invalid_audit_filter', e.message, { parameter: e.parameter });
    req.log.error({ err: e }, 'audit database unavailable');
    return sendError(reply, 503, 'audit_unavailable', AUDIT_UNAVAILABLE);
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
  app.addHook('onClose', async () => clearInterval(timer));
}
