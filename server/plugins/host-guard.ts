/**
 * DNS rebinding and cross-site protection. Every request must name an allowed Host (421
 * otherwise, before anything else runs); a change must carry the panel's header, and its Origin,
 * when the browser sends one, must be one of the configured origins. The request's own Host is
 * never trusted as an origin: a rebound name would pass.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { PANEL_HEADER } from '../../protocol/panel.ts';
import { sendError } from '../http-errors.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** onRequest/preHandler hook for state-changing routes: panel header and a configured Origin. */
    refuseCrossSite: (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
  }
}

export interface HostGuardOptions {
  /** Host values (lower case); without a port, any port. */
  allowedHosts: readonly string[];
  /** Origins besides those of the allowed hosts: PUBLIC_URL and FRAME_ANCESTORS. */
  frameAncestors: readonly string[];
  publicUrl: string | undefined;
}

/** `name[:port]` → [name, port]; IPv6 literals keep their brackets. */
const splitHost = (host: string): [string, string | undefined] => {
  const m = /^(\[[^\]]*\]|[^:]*)(?::(\d+))?$/.exec(host.toLowerCase());
  return m ? [m[1] ?? '', m[2]] : [host.toLowerCase(), undefined];
};

export function hostMatcher(allowed: readonly string[]): (host: string | undefined) => boolean {
  const rules = allowed.map(splitHost);
  return (host) => {
    if (!host) return false;
    const [name, port] = splitHost(host);
    return rules.some(([n, p]) => n === name && (p === undefined || p === port));
  };
}

/**
 * FRAME_ANCESTORS origins (the portal that frames or mounts the panel) as patterns.
 * `https://*.corp.example` matches its subdomains; keywords such as `'self'` are skipped.
 */
export function frameAncestorOrigins(frameAncestors: readonly string[]): RegExp[] {
  return frameAncestors
    .map((s) => s.replace(/\/+$/, '').toLowerCase())
    .filter((s) => /^https?:\/\/(\*\.)?[a-z0-9.-]+(:\d+)?$/.test(s))
    .map((s) => new RegExp(`^${s.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace('*\\.', '[a-z0-9-]+(?:\\.[a-z0-9-]+)*\\.')}$`));
}

/** Whether an Origin header is one the configuration names. */
export function originMatcher(opts: HostGuardOptions): (origin: string) => boolean {
  const isAllowedHost = hostMatcher(opts.allowedHosts);
  const ancestors = frameAncestorOrigins(opts.frameAncestors);
  const publicOrigin = opts.publicUrl ? new URL(opts.publicUrl).origin.toLowerCase() : undefined;
  return (origin) => {
    const o = origin.toLowerCase();
    if (o === publicOrigin || ancestors.some((a) => a.test(o))) return true;
    const m = /^https?:\/\/([^/]+)$/.exec(o);
    return m !== null && isAllowedHost(m[1]);
  };
}

// fastify-plugin: the Host check runs before every route, and `refuseCrossSite` is used by routes of other plugins.
export const hostGuard = fp(
  async (app: FastifyInstance, opts: HostGuardOptions) => {
    const isAllowedHost = hostMatcher(opts.allowedHosts);
    const isAllowedOrigin = originMatcher(opts);
    app.addHook('onRequest', async (req, reply) => {
      if (!isAllowedHost(req.headers.host)) {
        return sendError(reply, 421, 'host_not_allowed', 'This server does not answer for that host name; see ALLOWED_HOSTS.');
      }
    });
    app.decorate('refuseCrossSite', async (req: FastifyRequest, reply: FastifyReply) => {
      const origin = req.headers.origin;
      if (origin !== undefined && !isAllowedOrigin(origin)) {
        return sendError(reply, 403, 'cross_origin_request_refused', 'The panel’s server refuses changes requested by another site.');
      }
      if (req.headers[PANEL_HEADER.toLowerCase()] === undefined) {
        return sendError(reply, 403, 'panel_header_missing', `Changes must come from the panel: the ${PANEL_HEADER} header is missing.`);
      }
    });
  },
  { name: 'panel-host-guard', dependencies: ['panel-security-headers'] },
);
