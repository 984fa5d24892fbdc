/**
 * The built SPA. Hashed assets are cached for a year, everything else revalidated; the build's
 * brotli and gzip copies (scripts/compress.ts) are served to clients that accept them, with
 * `Vary: Accept-Encoding`. HTML navigations to unknown paths get index.html (deep links).
 */
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { relative, sep } from 'node:path';

// fastify-plugin: the root's not-found handler answers deep links with `spaFallback`, which needs
// @fastify/static's `reply.sendFile` there too.
export const staticFiles = fp(
  async (app: FastifyInstance, opts: { distDir: string }) => {
    const { distDir } = opts;
    await app.register(fastifyStatic, {
      root: distDir,
      index: false,
      cacheControl: false,
      preCompressed: true,
      setHeaders: (res, path) => {
        const hashed = relative(distDir, path).startsWith(`assets${sep}`);
        res.header('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
    app.get('/', (_req, reply) => reply.sendFile('index.html'));
    app.spaFallback = (_req, reply) => reply.sendFile('index.html');
  },
  { name: 'panel-static', dependencies: ['panel-errors'] },
);
