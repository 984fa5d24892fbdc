/**
 * The panel's server: static SPA, the allowlisted Katapult proxy (token added here, never in the
 * browser), security headers, health, and in demo mode the embedded mock with its test controls.
 * `buildServer` returns the Fastify instance without listening, so tests can `app.inject()`.
 */
import fastifyStatic from '@fastify/static';
import helmet from 'helmet';
import Fastify, { LogController, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ALLOWED } from './allowlist.ts';
import { AuditUnavailable, CHANGE_PATH, createChangeAudit, INTERFACE_PATH, TASK_PATH } from './audit/proxy-audit.ts';
import type { AuditStore } from './audit/store.ts';
import type { ServerConfig } from './config.ts';
import { auditPlugin, auditUnavailable } from './plugins/audit.ts';
import {
  apiBaseFor,
  DEMO_ORIGIN,
  liveCall,
  upstreamFor,
  upstreamPath,
  upstreamTarget,
  type Upstream,
  type UpstreamAnswer,
} from './upstream.ts';

export const MAX_QUERY_LENGTH = 4096;
export const MAX_BODY_BYTES = 16 * 1024;
/** The token used upstream in demo mode when none is configured (the mock accepts any). */
export const DEMO_TOKEN = 'demo-token';
/** How long a /readyz verdict about upstream is reused. */
export const READY_CACHE_MS = 10_000;
/** The header the panel sends on every call (src/api/client.ts); a cross-site form cannot send it. */
export const PANEL_HEADER = 'x-katapult-panel';
const HSTS = 'max-age=31536000; includeSubDomains';
const MISSING_TOKEN =
  'No API token was provided in the Authorization header. Ensure a token is provided prefixed with Bearer';

const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface BuildOptions {
  /** Where proxied requests go. Default: fetch() to Katapult (live) or the embedded mock (demo). */
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
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Katapult's (or the mock's) HTTP status, for the request log line. */
    upstreamStatus: number | undefined;
    /** The audit record of the speed change this request carries, for the request log line. */
    auditId: string | undefined;
  }
}

export const katapultError = (code: string, description: string, detail: Record<string, unknown> = {}) => ({
  error: { code, description, detail },
});

class UpstreamTimeout extends Error {
  override name = 'UpstreamTimeout';
}

const isTimeout = (e: unknown) =>
  e instanceof UpstreamTimeout || (e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError'));

/** fetch() failures carry the socket error in `cause`; say it in words a support engineer can act on. */
function unreachableReason(e: unknown): { code: string | undefined; words: string } {
  const cause = (e as { cause?: { code?: unknown } } | undefined)?.cause;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  const words =
    code === 'ECONNREFUSED'
      ? 'the connection was refused'
      : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
        ? 'its host name could not be resolved'
        : code === 'ECONNRESET' || code === 'UND_ERR_SOCKET'
          ? 'the connection was closed unexpectedly'
          : code && /CERT|TLS|SSL/.test(code)
            ? 'its TLS certificate was not accepted'
            : 'the connection failed';
  return { code, words };
}

/**
 * Origins allowed to send a state-changing request besides the server's own: each origin listed in
 * FRAME_ANCESTORS (the portal that frames or mounts the panel). `https://*.corp.example` matches
 * its subdomains; keywords such as `'self'` and bare schemes are not origins and are skipped.
 */
export function frameAncestorOrigins(frameAncestors: readonly string[]): RegExp[] {
  return frameAncestors
    .map((s) => s.replace(/\/+$/, '').toLowerCase())
    .filter((s) => /^https?:\/\/(\*\.)?[a-z0-9.-]+(:\d+)?$/.test(s))
    .map((s) => new RegExp(`^${s.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace('*\\.', '[a-z0-9-]+(?:\\.[a-z0-9-]+)*\\.')}$`));
}

/** The scheme the browser used: TLS may end at a proxy in front, which says so in X-Forwarded-Proto. */
const schemeOf = (req: FastifyRequest) => {
  const forwarded = req.headers['x-forwarded-proto'];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim().toLowerCase();
  return first === 'https' || first === 'http' ? first : req.protocol;
};

function loggerOptions(config: ServerConfig, given: BuildOptions['logger']): FastifyServerOptions['logger'] {
  if (given === false) return false;
  const token = config.token;
  const safety = {
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'headers.cookie', '*.token'],
      censor: '[redacted]',
    },
    // Belt and braces: whatever a line holds (an error message, a URL), the token never leaves.
    hooks: token ? { streamWrite: (line: string) => line.split(token).join('[redacted]') } : {},
  };
  if (given === undefined || given === true) return { level: config.logLevel, ...safety };
  return { level: config.logLevel, ...given, ...safety };
}

/**
 * The security headers helmet sets, with this panel's policy, as a plain object. None of them depends
 * on the request (no nonces, no directive functions), so helmet's middleware runs once, at startup,
 * against a stand-in response that records what it sets.
 */
export function securityHeaders(frameAncestors: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader: (name: string, value: unknown) => void (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => void delete headers[name.toLowerCase()],
  };
  helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // MUI/emotion insert <style> elements at runtime.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: [...frameAncestors],
      },
    },
    // frame-ancestors governs framing; X-Frame-Options could only contradict it.
    frameguard: false,
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginEmbedderPolicy: false,
    // HSTS only means something over TLS: added per request when the request came in as https.
    strictTransportSecurity: false,
  })({} as IncomingMessage, recorder as unknown as ServerResponse, (err?: unknown) => {
    if (err) throw err;
  });
  return headers;
}

export async function buildServer(config: ServerConfig, opts: BuildOptions = {}) {
  const upstream = opts.upstream ?? upstreamFor(config);
  /** Live mode without an injected upstream takes the lean path (bench: proxy overhead). */
  const lean = opts.upstream === undefined && config.mode === 'live';
  const apiBase = apiBaseFor(config);
  const target = lean ? upstreamTarget(apiBase) : undefined;
  const upstreamToken = config.token ?? (config.mode === 'demo' ? DEMO_TOKEN : undefined);
  const distDir =
    opts.distDir === null ? null : resolve(opts.distDir ?? join(opts.root ?? PROJECT_ROOT, config.distDir));
  const spa = distDir !== null && existsSync(join(distDir, 'index.html'));

  const app = Fastify({
    logger: loggerOptions(config, opts.logger),
    // Our own single line per request (onResponse below) replaces Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: MAX_BODY_BYTES,
  });
  app.decorateRequest('upstreamStatus', undefined);
  app.decorateRequest('auditId', undefined);
  const audit = opts.audit ? createChangeAudit(opts.audit, config.audit.trustedUserHeader) : undefined;
  if (opts.audit) await app.register(auditPlugin, { store: opts.audit });
  // The proxy forwards JSON only; text/plain would otherwise be accepted and mangled.
  app.removeContentTypeParser('text/plain');

  // With the logger off (`logger: false`) the line would go nowhere: no hook, and Fastify then adds no
  // per-response listeners either.
  if (opts.logger !== false) {
    app.addHook('onResponse', (req, reply, done) => {
      req.log.info(
        {
          method: req.method,
          path: req.url.split('?')[0],
          status: reply.statusCode,
          durationMs: Math.round(reply.elapsedTime * 10) / 10,
          ...(req.upstreamStatus !== undefined ? { upstreamStatus: req.upstreamStatus } : {}),
          ...(req.auditId !== undefined ? { auditId: req.auditId } : {}),
        },
        'request',
      );
      done();
    });
  }

  app.setErrorHandler((error: { statusCode?: number; message?: string }, req, reply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
    if (status >= 500) req.log.error({ err: error }, 'unhandled error');
    const code =
      status === 413
        ? 'request_too_large'
        : status === 415
          ? 'unsupported_media_type'
          : status < 500
            ? 'invalid_request'
            : 'panel_server_error';
    const description =
      status === 413
        ? `The request body is larger than ${MAX_BODY_BYTES / 1024} kB.`
        : status < 500
          ? (error.message ?? 'The request was not understood.')
          : 'The panel’s server failed; see its log.';
    return reply.code(status).header('cache-control', 'no-store').send(katapultError(code, description));
  });

  // Helmet's headers are the same for every response: worked out once here and set by one hook
  // (@fastify/helmet builds the whole helmet middleware again on every request).
  const security = securityHeaders(config.frameAncestors);
  app.addHook('onRequest', (req, reply, done) => {
    reply.headers(security);
    if (schemeOf(req) === 'https') reply.header('strict-transport-security', HSTS);
    // The mount() module may be loaded by a portal on another origin (module scripts use CORS).
    if (req.url.startsWith('/embed/')) {
      reply.header('access-control-allow-origin', '*').header('cross-origin-resource-policy', 'cross-origin');
    }
    done();
  });

  app.get('/healthz', async (_req, reply) => {
    reply.header('cache-control', 'no-store');
    return { status: 'ok' };
  });
  // Readiness: can the server reach Katapult? Any HTTP answer below 500 counts (no token is sent,
  // so a 4xx is expected); a connection failure, a timeout or a 5xx does not. The verdict is reused
  // for READY_CACHE_MS, so a busy probe never becomes load on Katapult. Demo mode is always ready.
  type Readiness = { ready: boolean; upstreamStatus?: number; reason?: string };
  let readiness: { at: number; result: Promise<Readiness> } | undefined;
  const probeUpstream = async (): Promise<Readiness> => {
    try {
      const res = await upstream(
        new Request(`${apiBase}/`, {
          headers: { accept: 'application/json', 'user-agent': 'katapult-interface-panel' },
          signal: AbortSignal.timeout(Math.min(config.upstreamTimeoutMs, 5000)),
        }),
      );
      await res.body?.cancel().catch(() => {});
      return res.status < 500
        ? { ready: true, upstreamStatus: res.status }
        : { ready: false, upstreamStatus: res.status, reason: `Katapult answered HTTP ${res.status}.` };
    } catch (e) {
      return { ready: false, reason: isTimeout(e) ? 'Katapult did not answer in time.' : 'Katapult could not be reached.' };
    }
  };
  app.get('/readyz', async (_req, reply) => {
    reply.header('cache-control', 'no-store');
    if (config.mode === 'demo') return { status: 'ready', mode: 'demo' };
    const now = Date.now();
    if (!readiness || now - readiness.at >= READY_CACHE_MS) readiness = { at: now, result: probeUpstream() };
    const r = await readiness.result;
    return reply.code(r.ready ? 200 : 503).send({ status: r.ready ? 'ready' : 'not_ready', mode: 'live', ...r });
  });

  app.get('/api/_panel/config', async (_req, reply) => {
    reply.header('cache-control', 'no-store');
    return { mode: config.mode };
  });

  /**
   * One call to Katapult (or the mock) with the server's deadline; throws on a timeout or a failed
   * connection. `routePath` set: the lean live path (undici dispatch on the pool).
   */
  const callUpstream = async (
    url: string,
    routePath: string | undefined,
    query: string,
    method: string,
    headers: Record<string, string>,
    body: string | null,
  ): Promise<UpstreamAnswer> => {
    if (target && routePath !== undefined) {
      const path = upstreamPath(target, routePath, query);
      return liveCall({ target, path, method, headers, body, timeoutMs: config.upstreamTimeoutMs });
    }
    // A timer cleared as soon as the answer is in (finally, below). AbortSignal.timeout() cannot be
    // cleared: it kept every answered request's upstream Response reachable for the whole timeout
    // (about 4.7 kB each with fetch), so memory grew with rate × UPSTREAM_TIMEOUT_MS under load.
    const controller = new AbortController();
    const signal = controller.signal;
    const timer = setTimeout(
      () => controller.abort(new DOMException('Katapult did not answer in time', 'TimeoutError')),
      config.upstreamTimeoutMs,
    );
    try {
      // Also bounds upstreams that ignore the signal (and the body read).
      const timedOut = new Promise<never>((_, reject) => {
        signal.addEventListener('abort', () => reject(new UpstreamTimeout()), { once: true });
      });
      timedOut.catch(() => {});
      const request = new Request(url + query, { method, headers, body, signal });
      const res = await Promise.race([upstream(request), timedOut]);
      const buffer = Buffer.from(await Promise.race([res.arrayBuffer(), timedOut]));
      return {
        status: res.status,
        contentType: res.headers.get('content-type') ?? undefined,
        retryAfter: res.headers.get('retry-after') ?? undefined,
        body: buffer,
      };
    } finally {
      clearTimeout(timer);
    }
  };

  /** Send one request upstream and relay its answer unchanged (status, body, content type). */
  const forward = async (req: FastifyRequest, reply: FastifyReply, url: string, routePath?: string) => {
    reply.header('cache-control', 'no-store');
    const query = queryOf(req);
    if (query.length > MAX_QUERY_LENGTH) {
      return reply
        .code(414)
        .send(katapultError('query_too_long', `The query string is longer than ${MAX_QUERY_LENGTH} characters.`));
    }
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'katapult-interface-panel' };
    const authorization = upstreamAuthorization(req);
    if (authorization) headers.authorization = authorization;
    // The browser's own credentials never go to Katapult. The mock keys test sessions on a cookie.
    if (config.mode === 'demo' && req.headers.cookie) headers.cookie = req.headers.cookie;
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD' && req.body !== undefined && req.body !== null;
    const body = hasBody ? JSON.stringify(req.body) : null;

    // The audit: the change is recorded before it leaves; without a record it does not leave.
    const audited = audit !== undefined && req.method === 'PATCH' && routePath === CHANGE_PATH;
    if (audited) {
      try {
        req.auditId = await audit.beforeChange(req, async (interfaceQuery) =>
          callUpstream(`${apiBase}${INTERFACE_PATH}`, INTERFACE_PATH, interfaceQuery, 'GET', { ...headers }, null),
        );
      } catch (e) {
        if (!(e instanceof AuditUnavailable)) throw e;
        return reply.code(503).send(auditUnavailable());
      }
    }
    if (hasBody) headers['content-type'] = 'application/json';

    const relay = (answer: UpstreamAnswer) => {
      if (answer.status < 200 || answer.status > 599) {
        throw new TypeError(`upstream answered with HTTP status ${answer.status}`);
      }
      req.upstreamStatus = answer.status;
      reply.code(answer.status).header('content-type', answer.contentType ?? 'application/octet-stream');
      if (answer.retryAfter) reply.header('retry-after', answer.retryAfter);
      return reply.send(answer.body);
    };

    try {
      const answer = await callUpstream(url, routePath, query, req.method, headers, body);
      // Written before the answer is relayed: once the panel has the task id, so has the record.
      if (audit && req.auditId) await audit.afterChange(req.auditId, answer.status, answer.body, req.log);
      else if (audit && routePath === TASK_PATH) await audit.afterTask(answer.status, answer.body, req.log);
      return relay(answer);
    } catch (e) {
      if (isTimeout(e)) {
        // An audited change stays "pending" (outcome not seen): Katapult may still have made it.
        const seconds = config.upstreamTimeoutMs / 1000;
        req.log.warn({ timeoutMs: config.upstreamTimeoutMs }, 'upstream timeout');
        return reply
          .code(504)
          .send(
            katapultError('upstream_timeout', `Katapult did not answer within ${seconds} s.`, { timeout_seconds: seconds }),
          );
      }
      const { code, words } = unreachableReason(e);
      req.log.warn({ reason: e instanceof Error ? e.message : String(e), cause: code }, 'upstream unreachable');
      if (audit && req.auditId) await audit.notSent(req.auditId, 'upstream_unreachable', req.log);
      return reply
        .code(502)
        .send(
          katapultError(
            'upstream_unreachable',
            `The panel’s server could not reach Katapult: ${words}.`,
            code ? { reason: code } : {},
          ),
        );
    }
  };

  /**
   * Cross-site request protection for changes: an Origin, when the browser sends one, must be the
   * server's own or a FRAME_ANCESTORS origin, and the panel's custom header must be present (a form
   * or a simple cross-site request cannot set it). Runs before the body is read.
   */
  const allowedOrigins = frameAncestorOrigins(config.frameAncestors);
  const refuseCrossSite = async (req: FastifyRequest, reply: FastifyReply) => {
    const origin = req.headers.origin?.toLowerCase();
    const own = `${schemeOf(req)}://${req.host}`.toLowerCase();
    if (origin !== undefined && origin !== own && !allowedOrigins.some((o) => o.test(origin))) {
      return reply
        .code(403)
        .header('cache-control', 'no-store')
        .send(katapultError('cross_origin_request_refused', 'The panel’s server refuses changes requested by another site.', { origin }));
    }
    if (req.headers[PANEL_HEADER] === undefined) {
      return reply
        .code(403)
        .header('cache-control', 'no-store')
        .send(katapultError('panel_header_missing', `Changes must come from the panel: the ${PANEL_HEADER} header is missing.`));
    }
  };

  /**
   * What goes upstream as Authorization. Server mode: the server's token, never the browser's.
   * Per-user mode: the browser's own bearer token (from the host's getAccessToken()), never the
   * server's; undefined when it sent none.
   */
  function upstreamAuthorization(req: FastifyRequest): string | undefined {
    if (config.authMode === 'per-user') {
      const given = /^Bearer\s+([\x21-\x7e]+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
      return given ? `Bearer ${given}` : undefined;
    }
    return upstreamToken ? `Bearer ${upstreamToken}` : undefined;
  }

  for (const route of ALLOWED) {
    app.route({
      method: route.method,
      url: `/api${route.path}`,
      // HEAD is not on the allowlist: it falls through to the 404 below.
      exposeHeadRoute: false,
      ...(route.method === 'GET' ? {} : { onRequest: refuseCrossSite }),
      handler: (req, reply) => {
        if (config.authMode === 'per-user' && !upstreamAuthorization(req)) {
          // Katapult's own answer to a request without a token, given without asking Katapult.
          return reply.code(400).header('cache-control', 'no-store').send(katapultError('missing_api_token', MISSING_TOKEN));
        }
        return forward(req, reply, `${apiBase}${route.path}`, route.path);
      },
    });
  }
  const notForwarded = async (req: FastifyRequest, reply: FastifyReply) =>
    reply
      .code(404)
      .header('cache-control', 'no-store')
      .send(
        katapultError(
          'route_not_found',
          `The panel does not forward ${req.method} ${req.url.split('?')[0]}; only the endpoints it uses are allowed.`,
        ),
      );
  app.all('/api', notForwarded);
  app.all('/api/*', notForwarded);

  if (config.mode === 'demo') {
    // Test controls of the embedded mock (reset, faults, request log), path kept as is.
    app.all('/__mock/*', (req, reply) => forward(req, reply, `${DEMO_ORIGIN}${req.url.split('?')[0] ?? ''}`));
  }

  if (spa && distDir) {
    await app.register(fastifyStatic, {
      root: distDir,
      index: false,
      cacheControl: false,
      setHeaders: (res, path) => {
        const hashed = relative(distDir, path).startsWith(`assets${sep}`);
        res.header('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
    app.get('/', (_req, reply) => reply.sendFile('index.html'));
  }

  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0] ?? '';
    const wantsHtml =
      (req.method === 'GET' || req.method === 'HEAD') && (req.headers.accept ?? '').includes('text/html');
    // SPA deep links; never for API or mock paths, which always answer JSON.
    if (spa && wantsHtml && !/^\/(api|__mock)(\/|$)/.test(path)) return reply.sendFile('index.html');
    return reply
      .code(404)
      .header('cache-control', 'no-store')
      .send(katapultError('route_not_found', `Nothing here: ${req.method} ${path}.`));
  });

  return app;
}

const queryOf = (req: FastifyRequest) => {
  const i = req.url.indexOf('?');
  return i >= 0 ? req.url.slice(i) : '';
};
