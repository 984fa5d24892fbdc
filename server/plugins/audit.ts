/**
 * The audit log's read API: GET /api/panel/audit (JSON, cursor pages) and /api/panel/audit.csv.
 * Never cached; a database that cannot answer gives 503 audit_unavailable. Also prunes records past
 * the retention at start and every hour, and closes the store with the server.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import { csvHeader, csvRow } from '../audit/csv.ts';
import { AuditFilterError, parseCsvQuery, parseListQuery } from '../audit/filters.ts';
import type { AuditStore } from '../audit/store.ts';
import { katapultError } from '../app.ts';

export const PRUNE_INTERVAL_MS = 60 * 60 * 1000;

export const auditUnavailable = () =>
  katapultError('audit_unavailable', 'The audit log’s database cannot be reached, so the panel’s server records nothing and changes nothing until it is back.');

type Query = Record<string, string | string[] | undefined>;

export async function auditPlugin(app: FastifyInstance, opts: { store: AuditStore }) {
  const { store } = opts;

  const fail = (req: FastifyRequest, reply: FastifyReply, e: unknown) => {
    if (e instanceof AuditFilterError) {
      return reply
        .code(400)
        .send(katapultError('invalid_audit_filter', e.message, { parameter: e.parameter }));
    }
    req.log.error({ err: e }, 'audit database unavailable');
    return reply.code(503).send(auditUnavailable());
  };

  app.get('/api/panel/audit', async (req, reply) => {
    reply.header('cache-control', 'no-store');
    try {
      const { filters, page } = parseListQuery(req.query as Query);
      return await store.list(filters, page);
    } catch (e) {
      return fail(req, reply, e);
    }
  });

  app.get('/api/panel/audit.csv', async (req, reply) => {
    reply.header('cache-control', 'no-store');
    try {
      const rows = store.all(parseCsvQuery(req.query as Query));
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
}
