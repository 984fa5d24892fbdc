/**
 * The panel's server, as Fastify plugins: a close that waits only for answers in flight, security
 * headers, host/origin guard, error handling, the Katapult client and the proxy's routes (the change
 * route and the task route with their own hooks: permission, change lock, audit record, the
 * follower's answer), the audit log, health, the built SPA and (demo mode) the embedded mock.
 * Plugins whose hooks or decorators the whole server needs are wrapped in fastify-plugin; the others
 * keep their routes to themselves. `buildServer` returns the instance without listening, so tests
 * can `app.inject()`.
 */
import type { DemoUser } from './audit/context.ts';
import Fastify, { LogController, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AuditStore } from './audit/store.ts';
import type { ChangeFeed } from './changes/feed.ts';
import type { ServerConfig } from './config.ts';
import { createChangePath } from './changes/route-hooks.ts';
import { audit } from './plugins/audit.ts';
import { PROJECT_ROOT } from './root.ts';
import { clientErrorHandler, errorHandling, frameworkErrors } from './plugins/errors.ts';
import { events } from './plugins/events.ts';
import { follower } from './plugins/follower.ts';
import { gracefulClose } from './plugins/graceful-close.ts';
import { health } from './plugins/health.ts';
import { hostGuard } from './plugins/host-guard.ts';
import { katapultClient } from './plugins/katapult-client.ts';
import { metrics } from './plugins/metrics.ts';
import { permission } from './plugins/permission.ts';
import { proxy } from './plugins/proxy.ts';
import { securityHeaders } from './plugins/security-headers.ts';
import { staticFiles } from './plugins/static.ts';
import type { Upstream } from './upstream.ts';

export { READY_CACHE_MS } from './plugins/health.ts';
export { MAX_QUERY_LENGTH } from './proxy/request.ts';
export const MAX_BODY_BYTES = 16 * 1024;
/** The token used upstream in demo mode when none is configured (the mock accepts any). */
export const DEMO_TOKEN = 'demo-token';

export interface BuildOptions {
  /** A stand-in for Katapult (tests), served on loopback. Default: Katapult (live) or the embedded mock (demo). */
  upstream?: Upstream;
  /** The built SPA. Default `<root>/<config.distDir>`; `null` serves no static files (dev server). */
  distDir?: string | null;
  /** Project root, used for the default distDir. Default: this file's parent directory. */
  root?: string;
  /** `false` for silence, or pino options (e.g. `{ level, stream }`); redaction is always added. */
  logger?: FastifyServerOptions['logger'];
  /**
   * The audit log (main.ts opens it from the configuration): every speed change is recorded before
   * it is forwarded, and GET /api/panel/audit lists them. The server closes it when it closes.
   */
  audit?: AuditStore;
  /**
   * Tells this server (and, with PostgreSQL, every other) of each write to the audit log: with it,
   * GET /api/panel/events streams the changes to open panels. The server closes it when it closes.
   */
  feed?: ChangeFeed;
  /** `manual`: the change follower looks only when a test calls `app.panelFollower.tick()`. Default `auto`. */
  follower?: 'auto' | 'manual';
}

function loggerOptions(config: ServerConfig, given: BuildOptions['logger']): FastifyServerOptions['logger'] {
  if (given === false) return false;
  const secrets = [config.token, config.metricsToken].filter((s): s is string => !!s);
  const safety = {
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'headers.cookie', '*.token'],
      censor: '[redacted]',
    },
    // Belt and braces: whatever a line holds (an error message, a URL), the tokens never leave.
    hooks: secrets.length > 0 ? { streamWrite: (line: string) => secrets.reduce((l, s) => l.split(s).join('[redacted]'), line) } : {},
  };
  if (given === undefined || given === true) return { level: config.logLevel, ...safety };
  return { level: config.logLevel, ...given, ...safety };
}

export async function buildServer(config: ServerConfig, opts: BuildOptions = {}) {
  const distDir = opts.distDir === null ? null : resolve(opts.distDir ?? join(opts.root ?? PROJECT_ROOT, config.distDir));
  const app = Fastify({
    logger: loggerOptions(config, opts.logger),
    // Our own single line per request (plugins/errors.ts) replaces Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: MAX_BODY_BYTES,
    // A client that sends its headers and part of a body must not hold its connection for ever:
    // the whole request has a deadline (Node answers 408 through clientErrorHandler and ends it).
    requestTimeout: config.requestTimeoutMs,
    http: {
      // Headers alone get no longer than the whole request; the deadlines are checked often enough to hold.
      headersTimeout: config.requestTimeoutMs,
      connectionsCheckingInterval: Math.min(1000, Math.ceil(config.requestTimeoutMs / 4)),
      // An HTTP/1.1 request without Host reaches the host guard (421 with the envelope), not Node's bare 400.
      requireHostHeader: false,
    },
    frameworkErrors: frameworkErrors(config.frameAncestors),
    clientErrorHandler,
  });
  // The proxy forwards JSON only; text/plain would otherwise be accepted.
  app.removeContentTypeParser('text/plain');
  await app.register(gracefulClose);

  // Anything but Katapult itself (the demo mock, a test's stand-in) is served on loopback, and the
  // proxy reaches it over HTTP like Katapult. Loaded only then: live mode never loads the mock.
  // The demo's listener serves the API alone; the mock's controls (when mounted) call it in-process.
  let upstreamBase = config.upstreamUrl ?? '';
  let demoUpstream: Upstream | undefined;
  let lockScope: ((req: FastifyRequest) => string) | undefined;
  let cookieOfScope: ((scope: string) => string | undefined) | undefined;
  let demoUser: DemoUser | undefined;
  if (opts.upstream || config.mode === 'demo') {
    const mod = await import('./upstream.ts');
    if (config.mode === 'demo') demoUpstream = opts.upstream ?? mod.demoUpstream;
    const base = config.mode === 'live' && config.upstreamUrl ? config.upstreamUrl : `${mod.DEMO_ORIGIN}/core/v1`;
    const served = await mod.serveUpstream(opts.upstream ?? mod.demoApi, new URL(base).origin);
    app.addHook('onClose', served.close);
    upstreamBase = served.url + new URL(base).pathname;
  }

  await app.register(securityHeaders, { frameAncestors: config.frameAncestors });
  await app.register(hostGuard, { allowedHosts: config.allowedHosts, frameAncestors: config.frameAncestors, publicUrl: config.publicUrl });
  await app.register(errorHandling, { logRequests: opts.logger !== false });
  await app.register(metrics, { token: config.metricsToken });
  if (demoUpstream) {
    const { demoMock, demoScopeOf, demoCookieOfScope, demoSessionOf } = await import('./plugins/demo-mock.ts');
    await app.register(demoMock, { upstream: demoUpstream, controls: config.mockControls });
    // Each browser's demo data is its own Katapult: one browser's change does not lock another's
    // interface, and each browser's audit shows its own changes only.
    lockScope = (req) => demoScopeOf(req.headers.cookie);
    // The follower reaches a change's demo data with the session cookie its scope names.
    cookieOfScope = demoCookieOfScope;
    // No trusted user header in demo mode: each browser gets a readable name instead of "unknown".
    demoUser = (await import('./audit/demo-user.ts')).demoUserOf(demoSessionOf);
    // Each new demo session starts with a few days of colleagues' changes in its audit.
    if (opts.audit) {
      const [{ demoHistoryHook }, { getDb }] = await Promise.all([import('./audit/demo-history.ts'), import('../mock/db.ts')]);
      app.addHook('onRequest', demoHistoryHook({ store: opts.audit, sessionOf: demoSessionOf, scopeOf: demoScopeOf, dataOf: (s) => getDb(s).data, log: app.log }));
    }
  }
  await app.register(katapultClient, {
    config,
    upstreamBase,
    token: config.token ?? (config.mode === 'demo' ? DEMO_TOKEN : undefined),
    forwardCookie: config.mode === 'demo',
  });
  const permissionConfig = { ...config.audit, demoUser };
  await app.register(permission, { config: permissionConfig });
  // The change route's hooks (permission, change back, the lock and the audit record) and the task
  // route's (the follower's last view, the task's state recorded), put on those routes by the proxy.
  const changePath = createChangePath(app, {
    permission: permissionConfig,
    store: opts.audit,
    demoUser,
    lockScope,
    cookieOfScope,
    perUser: config.authMode === 'per-user',
    taskFollowMinutes: config.audit.taskFollowMinutes,
    feed: opts.feed,
  });
  if (opts.audit && changePath.follower) {
    // In this order (onReady hooks run in it): old records are pruned before the follower starts.
    await app.register(audit, { store: opts.audit, lockScope });
    await app.register(follower, { follower: changePath.follower, store: opts.audit, mode: opts.follower });
  }
  await app.register(proxy, { config, routeHooks: changePath.routeHooks });
  if (opts.audit && opts.feed) {
    const feed = opts.feed;
    await app.register(events, { feed, store: opts.audit, lockScope });
    app.addHook('onClose', () => feed.close());
  }
  await app.register(health, { mode: config.mode, upstreamBase, probeTimeoutMs: config.upstreamTimeoutMs, frameAncestors: config.frameAncestors });
  if (distDir !== null && existsSync(join(distDir, 'index.html'))) await app.register(staticFiles, { distDir });
  return app;
}
