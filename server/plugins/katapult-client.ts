/**
 * The server's one way to Katapult: an undici agent, a bounded queue and one deadline per call from
 * arrival to last byte (proxy/caller.ts). Decorated as `panelProxy`:
 * - `forward(request, reply, path, query, body)`: relays a panel request (the proxy's routes);
 * - `get(request, path, query)`: a GET of an allowlisted Katapult path with the request's
 *   credentials, within its deadline (the change route's hooks read the interface with it);
 * - `getAs(credentials, path, query)`: the same with no request behind it (the follower);
 * - `deadlineOf(request, reply)`: starts the request's deadline, counted from its arrival;
 * - `state()`: the queue's saturation (/readyz).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { Agent } from 'undici';
import type { ServerConfig } from '../config.ts';
import type { Relayed } from '../proxy/answer.ts';
import { createCaller, type OwnCredentials } from '../proxy/caller.ts';
import type { Gate } from '../proxy/gate.ts';

export interface PanelProxy {
  forward(request: FastifyRequest, reply: FastifyReply, path: string, query: string, body: unknown): Promise<Relayed & { upstreamStatus: number }>;
  get(request: FastifyRequest, path: string, query: Record<string, string>): Promise<{ status: number; json: unknown }>;
  getAs(credentials: OwnCredentials, path: string, query: Record<string, string>): Promise<{ status: number; json: unknown; retryAfter?: string | undefined }>;
  deadlineOf(request: FastifyRequest, reply: FastifyReply): void;
  state(): Gate['state'];
}
declare module 'fastify' {
  interface FastifyInstance {
    panelProxy: PanelProxy;
  }
}

export interface KatapultClientOptions {
  config: ServerConfig;
  /** Katapult's base URL (or the demo mock's / a test stand-in's), e.g. `https://api.katapult.io/core/v1`. */
  upstreamBase: string;
  /** The token the server adds (server auth mode). */
  token: string | undefined;
  /** Demo mode: the mock keys each browser's state on its session cookie. */
  forwardCookie: boolean;
}

// fastify-plugin: the decorator must reach the root, where the proxy's routes, /readyz and the
// follower (each in its own plugin) call Katapult through the one queue.
export const katapultClient = fp(
  async (app: FastifyInstance, { config, upstreamBase, token, forwardCookie }: KatapultClientOptions) => {
    const timeoutMs = config.upstreamTimeoutMs;
    const agent = new Agent({ connections: config.upstreamConnections, keepAliveTimeout: 30_000, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
    app.addHook('onClose', async () => agent.close());
    app.decorateRequest('panelDeadline', undefined);
    const caller = createCaller({ config, agent, base: new URL(upstreamBase), token, forwardCookie, metrics: app.panelMetrics });
    app.decorate('panelProxy', {
      forward: caller.forward,
      get: caller.get,
      getAs: caller.getAs,
      deadlineOf: (req, reply) => void caller.deadlineOf(req, reply),
      state: caller.state,
    } satisfies PanelProxy);
  },
  { name: 'panel-katapult-client', dependencies: ['panel-metrics'] },
);
