/**
 * The panel's server: static SPA, the allowlisted Katapult proxy (token added here, never in the
 * browser), security headers, health, and in demo mode the embedded mock with its test controls.
 */
import helmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import Fastify, { LogController, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ALLOWED } from './allowlist.ts';
import type { ServerConfig } from './config.ts';
import { DEMO_ORIGIN, demoUpstream, liveUpstream, type Upstream } from './upstream.ts';

export const MAX_QUERY_LENGTH = 4096;
export const MAX_BODY_BYTES = 16 * 1024;

export interface BuildOptions {
  upstream?: Upstream;
  /** Project root (for dist/). */
  root?: string;
  logger?: FastifyServerOptions['logger'];
}

declare module 'fastify' {
  interface FastifyRequest {
    upstreamStatus?: number;
  }
}

export const katapultShaped = (code: string, description: string, detail: Record<string, unknown> = {}) => ({
  error: { code, description, detail },
});

class UpstreamTimeout extends Error {}

export async function buildServer(config: ServerConfig, opts: BuildOptions = {}) {
  const upstream = opts.upstream ?? (config.mode === 'live' ? liveUpstream : demoUpstream);
  const upstreamBase = config.mode === 'live' ? (config.upstreamUrl ?? '') : `${DEMO_ORIGIN}/core/v1`;
  const app = Fastify({
    logger: opts.logger ?? {
      level: config.logLevel,
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie', '*.authorization', '*.token'], censor: '[redacted]' },
    },
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: MAX_BODY_BYTES,
    trustProxy: true,
  });

  // One structured line per request; never headers, bodies or query strings.
  app.addHook('onResponse', async (req, reply) => {
    req.log.info(
      {
        method: req.method,
        path: req.url.split('?')[0],
        status: reply.statusCode,
        durationMs: Math.round(reply.elapsedTime * 10) / 10,
        ...(req.upstreamStatus !== undefined ? { upstreamStatus: req.upstreamStatus } : {}),
      },
      'request',
    );
  });

  app.setErrorHandler((error: { statusCode?: number; message?: string }, req, reply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
    if (status >= 500) req.log.error({ err: error }, 'unhandled error');
    const code = status === 413 ? 'request_too_large' : status < 500 ? 'invalid_request' : 'panel_server_error';
    return reply
      .code(status)
      .send(katapultShaped(code, status < 500 ? (error.message ?? 'Bad request') : 'The panel’s server failed.'));
  });

  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: config.frameAncestors,
      },
    },
    frameguard: false,
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginEmbedderPolicy: false,
  });

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/api/_panel/config', async (_req, reply) => {
    reply.header('cache-control', 'no-store');
    return { mode: config.mode };
  });

  const forward = async (req: FastifyRequest, reply: FastifyReply, url: string, extraHeaders: Record<string, string>) => {
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'katapult-interface-panel', ...extraHeaders };
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
    if (hasBody) headers['content-type'] = 'application/json';
    if (config.mode === 'demo' && req.headers.cookie) headers.cookie = req.headers.cookie;
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new UpstreamTimeout());
      }, config.upstreamTimeoutMs);
    });
    try {
      const request = new Request(url, {
        method: req.method,
        headers,
        body: hasBody ? JSON.stringify(req.body ?? {}) : null,
        signal: controller.signal,
      });
      const res = await Promise.race([upstream(request), timeout]);
      const body = Buffer.from(await Promise.race([res.arrayBuffer(), timeout]));
      req.upstreamStatus = res.status;
      reply.code(res.status).header('content-type', res.headers.get('content-type') ?? 'application/octet-stream');
      const retryAfter = res.headers.get('retry-after');
      if (retryAfter) reply.header('retry-after', retryAfter);
      return reply.header('cache-control', 'no-store').send(body);
    } catch (e) {
      if (e instanceof UpstreamTimeout) {
        const s = config.upstreamTimeoutMs / 1000;
        return reply
          .code(504)
          .send(katapultShaped('upstream_timeout', `Katapult did not answer within ${s} s.`, { timeout_seconds: s }));
      }
      req.log.warn({ reason: e instanceof Error ? e.message : String(e) }, 'upstream unreachable');
      return reply
        .code(502)
        .send(katapultShaped('upstream_unreachable', 'The panel’s server could not reach Katapult.', {}));
    } finally {
      clearTimeout(timer);
    }
  };

  const queryOf = (req: FastifyRequest) => {
    const i = req.url.indexOf('?');
    return i >= 0 ? req.url.slice(i) : '';
  };
  const tooLong = (reply: FastifyReply) =>
    reply.code(414).send(katapultShaped('query_too_long', `The query string is longer than ${MAX_QUERY_LENGTH} characters.`));

  for (const route of ALLOWED) {
    app.route({
      method: route.method,
      url: `/api${route.path}`,
      handler: async (req, reply) => {
        const query = queryOf(req);
        if (query.length > MAX_QUERY_LENGTH) return tooLong(reply);
        const token = config.token ?? (config.mode === 'demo' ? 'demo-token' : undefined);
        return forward(req, reply, `${upstreamBase}${route.path}${query}`, token ? { authorization: `Bearer ${token}` } : {});
      },
    });
  }
  const notAllowed = async (req: FastifyRequest, reply: FastifyReply) =>
    reply
      .code(404)
      .send(katapultShaped('route_not_found', `The panel does not forward ${req.method} ${req.url.split('?')[0]}.`));
  app.all('/api', notAllowed);
  app.all('/api/*', notAllowed);

  if (config.mode === 'demo') {
    app.all('/__mock/*', async (req, reply) => {
      const path = req.url.split('?')[0] ?? '';
      return forward(req, reply, `${DEMO_ORIGIN}${path}${queryOf(req)}`, {});
    });
  }

  const dist = resolve(opts.root ?? process.cwd(), config.distDir);
  if (existsSync(dist)) {
    await app.register(fastifyStatic, {
      root: dist,
      index: false,
      setHeaders: (res, path) => {
        res.header('cache-control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
    app.get('/', (_req, reply) => reply.header('cache-control', 'no-cache').sendFile('index.html'));
  }
  app.setNotFoundHandler((req, reply) => {
    const wantsHtml = req.method === 'GET' && (req.headers.accept ?? '').includes('text/html');
    if (wantsHtml && existsSync(dist) && !req.url.startsWith('/__mock')) {
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    }
    return reply.code(404).send(katapultShaped('not_found', 'Nothing here.'));
  });

  return app;
}
