/**
 * The two ways the server calls Katapult, both through one queue and within the request's one
 * deadline: `forward` relays a panel request, `get` is the server's own read (for plugins such as
 * the audit log).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Agent } from 'undici';
import type { ServerConfig } from '../config.ts';
import type { CallSource, PanelMetrics } from '../plugins/metrics.ts';
import { readBody, relayedAnswer, startDeadline, type Deadline } from './answer.ts';
import { Gate } from './gate.ts';
import * as out from './request.ts';

declare module 'fastify' {
  interface FastifyRequest {
    panelDeadline: Deadline | undefined;
  }
}

export interface CallerOptions {
  config: ServerConfig;
  agent: Agent;
  base: URL;
  token: string | undefined;
  forwardCookie: boolean;
  /** Each call's latency and status (429s counted apart), for /metrics. */
  metrics?: Pick<PanelMetrics, 'katapultCall'> | undefined;
}

/**
 * Credentials for a call the server makes on its own (the follower), with no browser request behind
 * it: the server's token, or in per-user mode the token of the request that started the change.
 */
export interface OwnCredentials {
  perUserAuthorization?: string | undefined;
  cookie?: string | undefined;
}

/** Failures before the request was handed to Katapult: queue full, deadline passed in the queue, connection refused. */
const neverSent = new WeakSet<object>();
const CONNECT_FAILURES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT', 'EHOSTUNREACH', 'ENETUNREACH']);
/** Whether a failed call provably never reached Katapult (so a change it carried was not made). */
export const wasNeverSent = (e: unknown) => typeof e === 'object' && e !== null && neverSent.has(e);
const markNeverSent = (e: unknown) => {
  if (typeof e === 'object' && e !== null) neverSent.add(e);
  return e;
};
const connectFailure = (e: unknown) => {
  const err = e as { code?: unknown; cause?: { code?: unknown } } | undefined;
  const code = typeof err?.code === 'string' ? err.code : typeof err?.cause?.code === 'string' ? err.cause.code : '';
  return CONNECT_FAILURES.has(code);
};

interface CallContext {
  deadline: Deadline;
  authorization: string | undefined;
  cookie: string | undefined;
  secrets: string[];
  source: CallSource;
}

export function createCaller({ config, agent, base, token, forwardCookie, metrics }: CallerOptions) {
  const basePath = base.pathname.replace(/\/+$/, '');
  const perUser = config.authMode === 'per-user';
  const gate = new Gate(config.upstreamConnections, config.upstreamQueueLimit);
  const secretsOf = (req: FastifyRequest) => [token ?? '', /^Bearer\s+(\S+)/i.exec(req.headers.authorization ?? '')?.[1] ?? ''];
  /** The deadline counts from the request's arrival (reply.elapsedTime), so body parsing and queueing are in it. */
  const deadlineOf = (req: FastifyRequest, reply?: FastifyReply) =>
    (req.panelDeadline ??= startDeadline(config.upstreamTimeoutMs - (reply?.elapsedTime ?? 0)));
  const authorization = (req: FastifyRequest) => out.upstreamAuthorization(req, perUser, token);
  const cookie = (req: FastifyRequest) => (forwardCookie ? req.headers.cookie : undefined);

  /**
   * One call to Katapult with undici, in its turn from the queue and within the request's deadline
   * (and `stop`, when given). Measured against @fastify/reply-from in the bench: no slower, faster
   * under many connections, and reply-from's streaming relay was unused, since every answer is read,
   * capped and checked here before it is sent.
   */
  async function call(ctx: CallContext, method: 'GET' | 'PATCH', pathAndQuery: string, body: unknown, stop?: AbortSignal) {
    const { deadline } = ctx;
    const signal = stop ? AbortSignal.any([deadline.signal, stop]) : deadline.signal;
    const release = await gate.acquire(signal).catch((e: unknown) => Promise.reject(markNeverSent(e)));
    // Timed from the turn in the queue: what Katapult (and the way to it) takes, not our own queue.
    const started = performance.now();
    const path = pathAndQuery.split('?', 1)[0] ?? '';
    let status: number | 'error' = 'error';
    try {
      const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'katapult-interface-panel' };
      if (ctx.authorization) headers.authorization = ctx.authorization;
      if (ctx.cookie) headers.cookie = ctx.cookie;
      if (body !== undefined) headers['content-type'] = 'application/json';
      const res = await agent.request({
        origin: base.origin,
        path: basePath + pathAndQuery,
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal,
        headersTimeout: deadline.remaining(),
        bodyTimeout: deadline.remaining(),
      }).catch((e: unknown) => Promise.reject(connectFailure(e) ? markNeverSent(e) : e));
      const buffer = await readBody(res.body, res.headers, config.upstreamMaxBytes, signal);
      status = res.statusCode;
      return { upstreamStatus: res.statusCode, ...relayedAnswer(res.statusCode, res.headers, buffer, ctx.secrets) };
    } finally {
      release();
      metrics?.katapultCall(ctx.source, method, path, status, (performance.now() - started) / 1000);
    }
  }

  const contextOf = (req: FastifyRequest, source: CallSource): CallContext => ({
    deadline: deadlineOf(req),
    authorization: authorization(req),
    cookie: cookie(req),
    secrets: secretsOf(req),
    source,
  });

  /** Relays a panel request (its query already checked); a browser that goes away frees its turn at once. */
  function forward(req: FastifyRequest, reply: FastifyReply, path: string, query: string, body: unknown) {
    deadlineOf(req, reply);
    const gone = new AbortController();
    reply.raw.once('close', () => {
      if (!reply.raw.writableFinished) gone.abort(new Error('The panel closed the connection'));
    });
    return call(contextOf(req, 'relay'), req.method as 'GET' | 'PATCH', path + query, body, gone.signal);
  }

  /** The server's own read of an allowlisted path (for plugins such as the audit log). */
  async function get(req: FastifyRequest, path: string, query: Record<string, string>) {
    const answer = await call(contextOf(req, 'server'), 'GET', `${path}?${new URLSearchParams(query).toString()}`, undefined);
    return { status: answer.status, json: answer.json };
  }

  /** The server's own read, with no browser behind it (the follower): its own deadline, the same queue. */
  async function getAs(creds: OwnCredentials, path: string, query: Record<string, string>) {
    const deadline = startDeadline(config.upstreamTimeoutMs);
    const authorization = perUser ? creds.perUserAuthorization : token ? `Bearer ${token}` : undefined;
    const bearer = /^Bearer\s+(\S+)/i.exec(authorization ?? '')?.[1] ?? '';
    try {
      const answer = await call(
        { deadline, authorization, cookie: forwardCookie ? creds.cookie : undefined, secrets: [token ?? '', bearer], source: 'follower' },
        'GET',
        `${path}?${new URLSearchParams(query).toString()}`,
        undefined,
      );
      return { status: answer.status, json: answer.json, retryAfter: answer.retryAfter };
    } finally {
      deadline.dispose();
    }
  }

  return { forward, get, getAs, deadlineOf, state: () => gate.state };
}
