/**
 * The allowlisted Katapult proxy: one route per endpoint the spec subset names. Each route checks
 * its request (`preValidation`: the per-user token, the query string, the change's body), then runs
 * the hooks given for its path (`preHandler`, `onSend`: the change route's permission, change lock
 * and audit record; the task route's answer from the follower), then forwards through the one queue
 * (plugins/katapult-client.ts) and answers JSON only, with the token scrubbed.
 *
 * What the hooks read: `request.katapultCall` (the checked query, and the change's validated body)
 * from `preHandler` on, and `request.katapultAnswer` (Katapult's parsed answer, or the failure to
 * get one) in `onSend`, which runs before the answer leaves.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ALLOWED, type AllowedRoute } from '../allowlist.ts';
import type { ServerConfig } from '../config.ts';
import { sendError } from '../http-errors.ts';
import { failureAnswer, type Relayed } from '../proxy/answer.ts';
import { wasNeverSent } from '../proxy/caller.ts';
import * as out from '../proxy/request.ts';

/** A request as checked, for the route's own hooks and its handler. */
export interface KatapultCall {
  /** Katapult path relative to the API base, e.g. `/tasks/task`. */
  path: string;
  /** The query as forwarded (only the parameters the spec names), with its `?`, or empty. */
  query: string;
  /** The change's body, validated against the spec (PATCH only). */
  body: out.SpeedProfileChange | undefined;
}

/** What came back from Katapult, or the failure to get an answer, as the panel is about to receive it. */
export interface KatapultAnswer {
  status: number;
  /** The parsed JSON (our own error envelope on a failure). */
  json: unknown;
  /** Set when no answer came: whether the request provably never reached Katapult. */
  failure?: { neverSent: boolean };
}

declare module 'fastify' {
  interface FastifyRequest {
    katapultCall: KatapultCall | undefined;
    /** Set only when Katapult's answer was JSON, or no answer came. */
    katapultAnswer: KatapultAnswer | undefined;
  }
}

export type PreHandler = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
export type OnSend = (request: FastifyRequest, reply: FastifyReply, payload: unknown) => Promise<unknown>;
/** Route-level hooks for one allowlisted path; each runs in order, after the request's checks. */
export interface RouteHooks {
  preHandler?: PreHandler[];
  onSend?: OnSend[];
}

export interface ProxyOptions {
  config: ServerConfig;
  /** Hooks of the routes that have their own (the change route, the task route), by Katapult path. */
  routeHooks?: Partial<Record<string, RouteHooks>>;
}

/** A query string Katapult would read more into than the panel checked (see `checkedQuery`). */
export const QUERY_REFUSED = 'query_parameter_not_allowed';
const MISSING_TOKEN = 'No API token was provided in the Authorization header. Ensure a token is provided prefixed with Bearer';

const send = (reply: FastifyReply, answer: Relayed) => {
  reply.code(answer.status).header('cache-control', 'no-store').header('content-type', 'application/json; charset=utf-8');
  if (answer.retryAfter) reply.header('retry-after', answer.retryAfter);
  return reply.send(answer.body);
};

/** No fastify-plugin: the routes, their request decorators and hooks stay in this plugin's scope. */
export async function proxy(app: FastifyInstance, { config, routeHooks = {} }: ProxyOptions) {
  const perUser = config.authMode === 'per-user';
  app.decorateRequest('katapultCall', undefined);
  app.decorateRequest('katapultAnswer', undefined);

  /** The request's checks, before any hook of the route: what they refuse never reaches a hook or Katapult. */
  const check = (route: AllowedRoute) => async (req: FastifyRequest, reply: FastifyReply) => {
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
    req.katapultCall = { path: route.path, query, body };
    // The deadline starts now (counted from arrival), so the route's hooks' own calls are within it.
    app.panelProxy.deadlineOf(req, reply);
  };

  const dispose = async (req: FastifyRequest) => req.panelDeadline?.dispose();

  for (const route of ALLOWED) {
    const own = routeHooks[route.path] ?? {};
    app.route({
      method: route.method,
      url: `/api${route.path}`,
      // HEAD is not on the allowlist: it falls through to the 404.
      exposeHeadRoute: false,
      ...(route.method === 'GET' ? {} : { onRequest: app.refuseCrossSite }),
      preValidation: check(route),
      preHandler: own.preHandler ?? [],
      onSend: own.onSend ?? [],
      // A refusal by a hook never reaches the handler: the deadline ends with the answer, or the client.
      onResponse: dispose,
      onRequestAbort: dispose,
      handler: async (req, reply) => {
        const { query, body } = req.katapultCall!;
        try {
          const answer = await app.panelProxy.forward(req, reply, route.path, query, body);
          req.upstreamStatus = answer.upstreamStatus;
          if (answer.json !== undefined) req.katapultAnswer = { status: answer.status, json: answer.json };
          return send(reply, answer);
        } catch (e) {
          const f = failureAnswer(e, config.upstreamTimeoutMs, config.upstreamMaxBytes);
          req.log.warn({ status: f.status, reason: e instanceof Error ? e.message : String(e) }, f.log);
          req.katapultAnswer = { status: f.status, json: f.body, failure: { neverSent: wasNeverSent(e) } };
          if (f.status === 503) reply.header('retry-after', '1');
          return reply.code(f.status).header('cache-control', 'no-store').send(f.body);
        } finally {
          req.panelDeadline?.dispose();
        }
      },
    });
  }
}
