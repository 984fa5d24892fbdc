/**
 * The allowlisted Katapult proxy. Each call has one deadline from arrival
 * to last byte (queue wait included), waits for a turn in a bounded queue, reads at most
 * UPSTREAM_MAX_BYTES, and answers JSON only, with the token scrubbed.
 *
 * Hooks for other plugins (the audit log), through the `panelProxy` decorator:
 * - `beforeForward(hook)`: runs after the PATCH body is validated, before it leaves, with the
 *   request and the validated body; returning `{ status, body }` refuses the change with that answer.
 * - `beforeRead(hook)`: runs before a GET leaves; returning `{ status, body }` answers it without a call
 *   (the follower's last view of a task it follows).
 * - `afterAnswer(hook)`: sees every relayed JSON answer (method, path, query, status, parsed JSON)
 *   once it is read, before it is sent, and every failure to get one (`failure`, with whether the
 *   request provably never reached Katapult); a hook's failure is logged, never the panel's answer.
 * - `get(request, path, query)`: a GET of an allowlisted Katapult path with the proxy's credentials,
 *   through the same queue, within the request's deadline; `getAs(credentials, path, query)` the same
 *   with no request behind it (the follower).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { Agent } from 'undici';
import { ALLOWED } from '../allowlist.ts';
import type { ServerConfig } from '../config.ts';
import { sendError } from '../http-errors.ts';
import { failureAnswer, type Relayed } from '../proxy/answer.ts';
import { createCaller, wasNeverSent, type OwnCredentials } from '../proxy/caller.ts';
import type { Gate } from '../proxy/gate.ts';
import * as out from '../proxy/request.ts';

export type Refusal = { status: number; body: unknown };
export type BeforeForward = (ctx: { request: FastifyRequest; body: out.SpeedProfileChange }) => Promise<Refusal | void>;
export type BeforeRead = (ctx: { request: FastifyRequest; path: string; query: string }) => Promise<{ status: number; body: string } | void>;
export type AfterAnswer = (ctx: {
  request: FastifyRequest;
  method: string;
  path: string;
  query: string;
  status: number;
  json: unknown;
  /** Set when no answer came: whether the request provably never reached Katapult. */
  failure?: { neverSent: boolean };
}) => unknown;
export interface PanelProxy {
  beforeForward(hook: BeforeForward): void;
  beforeRead(hook: BeforeRead): void;
  afterAnswer(hook: AfterAnswer): void;
  get(request: FastifyRequest, path: string, query: Record<string, string>): Promise<{ status: number; json: unknown }>;
  getAs(credentials: OwnCredentials, path: string, query: Record<string, string>): Promise<{ status: number; json: unknown; retryAfter?: string | undefined }>;
  state(): Gate['state'];
}
declare module 'fastify' {
  interface FastifyInstance {
    panelProxy: PanelProxy;
  }
}

export interface ProxyOptions {
  config: ServerConfig;
  /** Katapult's base URL (or the demo mock's / a test stand-in's), e.g. `https://api.katapult.io/core/v1`. */
  upstreamBase: string;
  /** The token the server adds (server auth mode). */
  token: string | undefined;
  /** Demo mode: the mock keys each browser's state on its session cookie. */
  forwardCookie: boolean;
}

/** A query string Katapult would read more into than the panel checked (see `checkedQuery`). */
export const QUERY_REFUSED = 'query_parameter_not_allowed';
const MISSING_TOKEN = 'No API token was provided in the Authorization header. Ensure a token is provided prefixed with Bearer';

export const proxy = fp(
  async (app: FastifyInstance, { config, upstreamBase, token, forwardCookie }: ProxyOptions) => {
    const base = new URL(upstreamBase);
    const perUser = config.authMode === 'per-user';
    const timeoutMs = config.upstreamTimeoutMs;
    const agent = new Agent({ connections: config.upstreamConnections, keepAliveTimeout: 30_000, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
    app.addHook('onClose', async () => agent.close());
    app.decorateRequest('panelDeadline', undefined);
    const caller = createCaller({ config, agent, base, token, forwardCookie, metrics: app.panelMetrics });
    const before: BeforeForward[] = [];
    const reads: BeforeRead[] = [];
    const after: AfterAnswer[] = [];

    const runAfter = async (ctx: Parameters<AfterAnswer>[0]) => {
      for (const hook of after) {
        try {
          await hook(ctx);
        } catch (e) {
          ctx.request.log.error({ err: e }, 'afterAnswer hook failed');
        }
      }
    };

    const fail = async (req: FastifyRequest, reply: FastifyReply, e: unknown, path: string, query: string) => {
      const f = failureAnswer(e, timeoutMs, config.upstreamMaxBytes);
      req.log.warn({ status: f.status, reason: e instanceof Error ? e.message : String(e) }, f.log);
      await runAfter({ request: req, method: req.method, path, query, status: f.status, json: f.body, failure: { neverSent: wasNeverSent(e) } });
      if (f.status === 503) reply.header('retry-after', '1');
      return reply.code(f.status).header('cache-control', 'no-store').send(f.body);
    };

    const send = (reply: FastifyReply, answer: Relayed) => {
      reply.code(answer.status).header('cache-control', 'no-store').header('content-type', 'application/json; charset=utf-8');
      if (answer.retryAfter) reply.header('retry-after', answer.retryAfter);
      return reply.send(answer.body);
    };

    for (const route of ALLOWED) {
      app.route({
        method: route.method,
        url: `/api${route.path}`,
        // HEAD is not on the allowlist: it falls through to the 404.
        exposeHeadRoute: false,
        ...(route.method === 'GET' ? {} : { onRequest: app.refuseCrossSite }),
        handler: async (req, reply) => {
          if (perUser && !out.upstreamAuthorization(req, true, undefined)) return sendError(reply, 400, 'missing_api_token', MISSING_TOKEN);
          const raw = out.queryOf(req.url);
          if (raw.length > out.MAX_QUERY_LENGTH) {
            return sendError(reply, 414, 'query_too_long', `The query string is longer than ${out.MAX_QUERY_LENGTH} characters.`);
          }
          // Katapult merges a request's query string into its arguments: the change (whose spec names
          // no query parameter) goes with none at all, and a read only with the parameters its spec names.
          if (route.method === 'PATCH' && raw !== '') {
            return sendError(reply, 400, QUERY_REFUSED, 'The speed change takes no query string: everything it names goes in its JSON body.', {
              allowed: [],
            });
          }
          const query = out.checkedQuery(raw, route.query);
          if (query === undefined) {
            return sendError(reply, 400, QUERY_REFUSED, 'The query string names a parameter this endpoint does not take, or one more than once.', {
              allowed: route.query,
            });
          }
          let body: out.SpeedProfileChange | undefined;
          if (route.method === 'PATCH') {
            const checked = out.validateChange(req.body);
            if (!checked.ok) {
              return sendError(reply, 400, 'invalid_request_body', 'The body is not a speed profile change as the Katapult API describes it.', { problems: checked.problems });
            }
            body = checked.value;
          }
          // The deadline starts now (counted from arrival), so a beforeForward hook's own calls are within it.
          caller.deadlineOf(req, reply);
          try {
            if (body) {
              for (const hook of before) {
                const refusal = await hook({ request: req, body });
                if (refusal) return reply.code(refusal.status).header('cache-control', 'no-store').send(refusal.body);
              }
            }
            if (route.method === 'GET') {
              for (const hook of reads) {
                const known = await hook({ request: req, path: route.path, query });
                if (known) return send(reply, known);
              }
            }
            const answer = await caller.forward(req, reply, route.path, query, body);
            req.upstreamStatus = answer.upstreamStatus;
            if (answer.json !== undefined) {
              await runAfter({ request: req, method: route.method, path: route.path, query, status: answer.status, json: answer.json });
            }
            return send(reply, answer);
          } catch (e) {
            return fail(req, reply, e, route.path, query);
          } finally {
            req.panelDeadline?.dispose();
          }
        },
      });
    }

    app.decorate('panelProxy', {
      beforeForward: (hook: BeforeForward) => void before.push(hook),
      beforeRead: (hook: BeforeRead) => void reads.push(hook),
      afterAnswer: (hook: AfterAnswer) => void after.push(hook),
      get: caller.get,
      getAs: caller.getAs,
      state: caller.state,
    } satisfies PanelProxy);
  },
  { name: 'panel-proxy', dependencies: ['panel-host-guard', 'panel-errors', 'panel-metrics'] },
);
