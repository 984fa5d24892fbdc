/**
 * What operators watch: GET /metrics in Prometheus's text format (prom-client), answered only to a
 * request bearing METRICS_TOKEN; without it the route answers 404, so nothing is exposed by accident.
 * Every app has its own registry (not prom-client's global one), so several apps in one process
 * (the tests) never share or collide on a metric.
 *
 * Other plugins count through the `panelMetrics` decorator: the proxy's caller observes each call to
 * Katapult, the audit plugin counts its 409 refusals and hands over the database's counts and the
 * follower's lag (read at scrape time), and the live events plugin keeps `sseClients` (inc() when a
 * stream opens, dec() when it closes).
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { createHash, timingSafeEqual } from 'node:crypto';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { sendError } from '../http-errors.ts';

/** Who made a call to Katapult: a relayed browser request, the server's own read for one, or the follower. */
export type CallSource = 'relay' | 'server' | 'follower';

/** What /metrics reads from the audit log and the follower when it is scraped. */
export interface AuditSources {
  countByOutcome(): Promise<Record<string, number>>;
  countFollowed(): Promise<number>;
  lagMs(): number;
}

export interface PanelMetrics {
  readonly registry: Registry;
  /** A call to Katapult ended: its allowlisted path, Katapult's status (or `error` when none came) and its duration. */
  katapultCall(source: CallSource, method: string, path: string, status: number | 'error', seconds: number): void;
  /** The audit plugin refused a change with 409 (`change_in_progress`, `change_back_not_possible`). */
  refused(code: string): void;
  /** Open Server-Sent Events streams: inc() when one opens, dec() when it closes. */
  readonly sseClients: Gauge;
  /** Called once by the audit plugin: the gauges read from the database are filled at scrape time. */
  observeAudit(sources: AuditSources): void;
}

declare module 'fastify' {
  interface FastifyInstance {
    panelMetrics: PanelMetrics;
  }
}

export interface MetricsOptions {
  /** METRICS_TOKEN: /metrics answers only `Authorization: Bearer <token>`; unset, it answers 404. */
  token: string | undefined;
}

/** Katapult's latency, from well under its usual answer to past the default 15 s deadline. */
const LATENCY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30];

const digest = (s: string) => createHash('sha256').update(s).digest();

// fastify-plugin: every route's answer is counted, and `panelMetrics` is used by the plugins that call Katapult.
export const metrics = fp(
  async (app: FastifyInstance, opts: MetricsOptions) => {
    const registry = new Registry();
    const requests = new Counter({
      name: 'panel_http_requests_total',
      help: 'Requests answered by the panel server, by route pattern (unmatched: no route), method and status.',
      labelNames: ['route', 'method', 'status'] as const,
      registers: [registry],
    });
    const latency = new Histogram({
      name: 'panel_katapult_request_duration_seconds',
      help: 'Calls to Katapult, from sending to the last byte of the answer (queue wait excluded), by method, allowlisted path and status (error: no answer).',
      labelNames: ['method', 'path', 'status'] as const,
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    });
    const rateLimited = new Counter({
      name: 'panel_katapult_rate_limited_total',
      help: 'Katapult answers with 429, by source: relay (a browser request relayed), server (the server’s own read for a request), follower.',
      labelNames: ['source'] as const,
      registers: [registry],
    });
    const refusals = new Counter({
      name: 'panel_change_refusals_total',
      help: 'Changes refused with 409 before reaching Katapult, by code (change_in_progress, change_back_not_possible).',
      labelNames: ['code'] as const,
      registers: [registry],
    });
    const sseClients = new Gauge({
      name: 'panel_sse_clients',
      help: 'Server-Sent Events streams open on this server.',
      registers: [registry],
    });
    let audit: AuditSources | undefined;
    new Gauge({
      name: 'panel_changes',
      help: 'Changes in the audit log (within retention) by outcome, read from the database at scrape time: the same on every server sharing it.',
      labelNames: ['outcome'] as const,
      registers: [registry],
      async collect() {
        this.reset();
        if (!audit) return;
        const counts = await audit.countByOutcome().catch((e: unknown) => void app.log.warn({ err: e }, 'metrics: audit counts unavailable'));
        for (const [outcome, n] of Object.entries(counts ?? {})) this.set({ outcome }, n);
      },
    });
    new Gauge({
      name: 'panel_changes_followed',
      help: 'Open changes whose task a follower is to look at, across every server sharing the database (read at scrape time).',
      registers: [registry],
      async collect() {
        this.reset();
        if (!audit) return;
        const n = await audit.countFollowed().catch((e: unknown) => void app.log.warn({ err: e }, 'metrics: followed count unavailable'));
        if (n !== undefined) this.set(n);
      },
    });
    new Gauge({
      name: 'panel_follow_lag_seconds',
      help: 'How late this server’s follower took its latest round’s most overdue look (0 when nothing was due).',
      registers: [registry],
      collect() {
        this.reset();
        if (audit) this.set(audit.lagMs() / 1000);
      },
    });
    // The process's own (CPU, memory, event loop, GC), under their usual names; only when they are served.
    if (opts.token) collectDefaultMetrics({ register: registry });

    const panelMetrics: PanelMetrics = {
      registry,
      sseClients,
      katapultCall(source, method, path, status, seconds) {
        latency.observe({ method, path, status: String(status) }, seconds);
        if (status === 429) rateLimited.inc({ source });
      },
      refused: (code) => refusals.inc({ code }),
      observeAudit(sources) {
        audit = sources;
      },
    };
    app.decorate('panelMetrics', panelMetrics);

    app.addHook('onResponse', async (req, reply) => {
      // The route's pattern, never the raw URL: one series per route, whatever the query or the path asked.
      requests.inc({ route: req.routeOptions.url ?? 'unmatched', method: req.method, status: String(reply.statusCode) });
    });

    const expected = opts.token ? digest(`Bearer ${opts.token}`) : undefined;
    app.get('/metrics', { exposeHeadRoute: false }, async (req, reply) => {
      reply.header('cache-control', 'no-store');
      if (!expected) return sendError(reply, 404, 'metrics_not_enabled', 'Metrics are off: set METRICS_TOKEN to serve them.');
      // Hashes of equal length, compared in constant time: the answer's timing says nothing of the token.
      if (!timingSafeEqual(digest(req.headers.authorization ?? ''), expected)) {
        reply.header('www-authenticate', 'Bearer realm="metrics"');
        return sendError(reply, 401, 'metrics_token_required', 'Metrics are served only with the METRICS_TOKEN bearer token.');
      }
      return reply.type(registry.contentType).send(await registry.metrics());
    });
    app.addHook('onClose', async () => registry.clear());
  },
  // After the host guard: a request for another host name gets its 421 before this route runs.
  { name: 'panel-metrics', dependencies: ['panel-host-guard', 'panel-errors'] },
);
