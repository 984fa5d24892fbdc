/**
 * The two ways the server calls Katapult, both through one queue and within the request's one
 * deadline: `forward` relays a panel request with @fastify/reply-from, `get` is the server's own
 * read (for plugins such as the audit log).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Agent } from 'undici';
import type { ServerConfig } from '../config.ts';
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
}

type UpstreamResponse = { statusCode: number; headers: Record<string, string | string[] | undefined>; stream: NodeJS.ReadableStream };

export function createCaller({ config, agent, base, token, forwardCookie }: CallerOptions) {
  const basePath = base.pathname.replace(/\/+$/, '');
  const perUser = config.authMode === 'per-user';
  const gate = new Gate(config.upstreamConnections, config.upstreamQueueLimit);
  const secretsOf = (req: FastifyRequest) => [token ?? '', /^Bearer\s+(\S+)/i.exec(req.headers.authorization ?? '')?.[1] ?? ''];
  /** The deadline counts from the request's arrival (reply.elapsedTime), so body parsing and queueing are in it. */
  const deadlineOf = (req: FastifyRequest, reply?: FastifyReply) =>
    (req.panelDeadline ??= startDeadline(config.upstreamTimeoutMs - (reply?.elapsedTime ?? 0)));
  const authorization = (req: FastifyRequest) => out.upstreamAuthorization(req, perUser, token);
  const cookie = (req: FastifyRequest) => (forwardCookie ? req.headers.cookie : undefined);

  async function forward(req: FastifyRequest, reply: FastifyReply, path: string, query: string, body: unknown) {
    const deadline = deadlineOf(req, reply);
    const release = await gate.acquire(deadline.signal);
    try {
      const res = await new Promise<UpstreamResponse>((resolve, reject) => {
        deadline.signal.addEventListener('abort', () => reject(deadline.signal.reason), { once: true });
        // A browser that goes away frees its turn at once (reply-from then drops the answer unread).
        reply.raw.once('close', () => {
          if (!reply.raw.writableFinished) reject(new Error('The panel closed the connection'));
        });
        reply.from(basePath + path, {
          method: req.method as 'GET' | 'PATCH',
          ...(body === undefined ? {} : { body }),
          timeout: deadline.remaining(),
          queryString: () => out.normalQuery(query).slice(1),
          rewriteRequestHeaders: (_r, headers) => out.outgoingHeaders(headers, authorization(req), cookie(req)),
          // The panel's answer carries only the headers set below (plugins/proxy.ts), none of Katapult's.
          rewriteHeaders: () => ({}),
          // Retrying is the panel's decision (its query client), not the proxy's.
          retryDelay: () => null,
          onError: (_reply, { error }) => reject((error as { cause?: unknown }).cause ?? error),
          onResponse: (_req, _reply, r) => (deadline.signal.aborted ? r.stream.destroy() : resolve(r as unknown as UpstreamResponse)),
        });
      });
      const buffer = await readBody(res.stream as never, res.headers, config.upstreamMaxBytes, deadline.signal);
      return { upstreamStatus: res.statusCode, ...relayedAnswer(res.statusCode, res.headers, buffer, secretsOf(req)) };
    } finally {
      release();
    }
  }

  async function get(req: FastifyRequest, path: string, query: Record<string, string>) {
    const deadline = deadlineOf(req);
    const release = await gate.acquire(deadline.signal);
    try {
      const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'katapult-interface-panel' };
      const auth = authorization(req);
      if (auth) headers.authorization = auth;
      const c = cookie(req);
      if (c) headers.cookie = c;
      const res = await agent.request({
        origin: base.origin,
        path: `${basePath}${path}?${new URLSearchParams(query).toString()}`,
        method: 'GET',
        headers,
        signal: deadline.signal,
        headersTimeout: deadline.remaining(),
        bodyTimeout: deadline.remaining(),
      });
      const buffer = await readBody(res.body, res.headers, config.upstreamMaxBytes, deadline.signal);
      const answer = relayedAnswer(res.statusCode, res.headers, buffer, secretsOf(req));
      return { status: answer.status, json: answer.json };
    } finally {
      release();
    }
  }

  return { forward, get, deadlineOf, state: () => gate.state };
}
