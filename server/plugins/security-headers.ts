/**
 * Security headers on every answer, from @fastify/helmet with this panel's policy. /api and
 * /__mock answers are data, never a document: they get a sandboxing CSP of their own.
 */
import fastifyHelmet, { type FastifyHelmetOptions } from '@fastify/helmet';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import helmet from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';

const HSTS = 'max-age=31536000; includeSubDomains';
export const DATA_CSP = "sandbox; default-src 'none'";

/** Paths whose answers are JSON data (the proxy, the panel's own endpoints, the mock's controls). */
export const isDataPath = (url: string) => /^\/(api|__mock)(\/|\?|$)/.test(url);

/**
 * The request's path as the router reads it: percent-decoded, without the query. `/%61pi/…` is
 * routed as `/api/…`, so whether an answer is data is decided from this, never from the raw URL.
 */
export function decodedPath(url: string): string {
  const path = url.split('?')[0] ?? '';
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
export const isDataRequest = (req: { url: string }) => isDataPath(decodedPath(req.url));

export function helmetOptions(frameAncestors: readonly string[]) {
  return {
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
    referrerPolicy: { policy: 'no-referrer' as const },
    crossOriginEmbedderPolicy: false,
    // HSTS only means something over TLS: added per request when the request came in as https.
    strictTransportSecurity: false,
  } satisfies FastifyHelmetOptions;
}

/** The scheme the browser used: TLS may end at a proxy in front, which says so in X-Forwarded-Proto. */
export const schemeOf = (req: FastifyRequest) => {
  const forwarded = req.headers['x-forwarded-proto'];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim().toLowerCase();
  return first === 'https' || first === 'http' ? first : req.protocol;
};

/**
 * The same headers on a response that skipped the request hooks (a URL Fastify's router refused):
 * helmet itself, run on the real response.
 */
export function secureRawResponse(frameAncestors: readonly string[]) {
  const middleware = helmet(helmetOptions(frameAncestors));
  return (req: IncomingMessage, res: ServerResponse) => {
    middleware(req, res, () => {});
    res.setHeader('content-security-policy', DATA_CSP);
  };
}

// fastify-plugin: its headers go on every answer of the server, so its hooks must reach the root.
export const securityHeaders = fp(
  async (app: FastifyInstance, opts: { frameAncestors: readonly string[] }) => {
    await app.register(fastifyHelmet, helmetOptions(opts.frameAncestors));
    app.addHook('onRequest', async (req, reply) => {
      if (schemeOf(req) === 'https') reply.header('strict-transport-security', HSTS);
      // The mount() module may be loaded by a portal on another origin (module scripts use CORS).
      if (req.url.startsWith('/embed/')) {
        reply.header('access-control-allow-origin', '*').header('cross-origin-resource-policy', 'cross-origin');
      }
    });
    app.addHook('onSend', async (req, reply) => {
      if (isDataRequest(req)) {
        reply.header('content-security-policy', DATA_CSP);
        if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
      }
      if (reply.statusCode >= 400) reply.header('cache-control', 'no-store');
    });
  },
  { name: 'panel-security-headers' },
);
