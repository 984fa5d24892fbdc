/**
 * One way out for every error: the handler for thrown errors (Fastify's own 400/413/415 included),
 * the 404 handler, and the two paths Fastify takes before any hook (a URL its router refuses, a
 * request Node's parser refuses). All answer Katapult's envelope with fixed words, no-store and
 * the security headers, and echo nothing of the request. Also the one log line per request.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Socket } from 'node:net';
import { frameworkError, katapultError, sendError } from '../http-errors.ts';
import { DATA_CSP, decodedPath, isDataPath, secureRawResponse } from './security-headers.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Katapult's (or the mock's) HTTP status, for the request log line. */
    upstreamStatus: number | undefined;
  }
  interface FastifyInstance {
    /** Set by the static plugin: answers an HTML navigation with the SPA's index.html. */
    spaFallback: ((req: FastifyRequest, reply: FastifyReply) => unknown) | undefined;
  }
}

export function handleError(error: Partial<FastifyError>, req: FastifyRequest, reply: FastifyReply) {
  const given = error.statusCode && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
  const { status, code, description } = frameworkError(given);
  if (status >= 500) req.log.error({ err: error }, 'unhandled error');
  else req.log.info({ code: error.code, status }, 'request refused');
  return sendError(reply, status, code, description);
}

/** Fastify's `frameworkErrors`: FST_ERR_BAD_URL and friends arrive here without any hook run. */
export function frameworkErrors(frameAncestors: readonly string[]) {
  const secure = secureRawResponse(frameAncestors);
  return (error: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    secure(req.raw, reply.raw);
    const { status, code, description } = frameworkError(error.statusCode ?? 400);
    req.log.info({ code: error.code, status }, 'request refused');
    void reply.code(status).header('cache-control', 'no-store').send(katapultError(code, description));
  };
}

/** Node's `clientError` (bad request line, headers too large): only the raw socket is left. */
export function clientErrorHandler(err: NodeJS.ErrnoException, socket: Socket) {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const { code, description } = frameworkError(status);
  const body = JSON.stringify(katapultError(code, description));
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : status === 408 ? 'Request Timeout' : 'Bad Request'}\r\n` +
        `content-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\n` +
        `cache-control: no-store\r\ncontent-security-policy: ${DATA_CSP}\r\nx-content-type-options: nosniff\r\n` +
        `referrer-policy: no-referrer\r\nconnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}

// fastify-plugin: the error and not-found handlers, the request decorator and the log line are the whole server's.
export const errorHandling = fp(
  async (app: FastifyInstance, opts: { logRequests: boolean }) => {
    app.decorateRequest('upstreamStatus', undefined);
    app.decorate('spaFallback', undefined);
    // With the logger off the line would go nowhere: no hook, so Fastify adds no per-response listener.
    if (opts.logRequests) {
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
    }
    app.setErrorHandler(handleError);
    app.setNotFoundHandler((req, reply) => {
      // Decoded, as the router reads it: `/%61pi/nope` is an API path, answered as one.
      const path = decodedPath(req.url);
      const wantsHtml = (req.method === 'GET' || req.method === 'HEAD') && (req.headers.accept ?? '').includes('text/html');
      // SPA deep links; never for API or mock paths, which always answer JSON.
      if (app.spaFallback && wantsHtml && !isDataPath(path)) return app.spaFallback(req, reply);
      if (path === '/api' || path.startsWith('/api/')) {
        return sendError(reply, 404, 'route_not_found', 'The panel does not forward this method and path; only the endpoints it uses are allowed.');
      }
      return sendError(reply, 404, 'route_not_found', 'Nothing here.');
    });
  },
  { name: 'panel-errors' },
);
