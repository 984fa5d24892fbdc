/** The servers the browser parts talk to: the panel in demo mode and the floor, both on 127.0.0.1. */
import fastifyStatic from '@fastify/static';
import Fastify from 'fastify';
import type { AddressInfo } from 'node:net';
import { relative, sep } from 'node:path';
import { buildServer } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';

export interface Running {
  url: string;
  close: () => Promise<void>;
}

const urlOf = (address: AddressInfo | string | null) =>
  `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

/**
 * The real server (static build + demo mock + proxy), in-process, on a free port, with the mock's
 * test controls mounted as for the test suite (they set latency and task duration per session).
 */
export async function startPanel(root: string, distDir: string): Promise<Running> {
  const app = await buildServer(loadConfig({ LOG_LEVEL: 'silent', DIST_DIR: distDir, PANEL_MOCK_CONTROLS: '1' }), { root, logger: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { url: urlOf(app.server.address()), close: () => app.close() };
}

/**
 * A reference's build (the floor, the plain reference), cached as the panel's server caches its build (hashed assets immutable for a
 * year, everything else revalidated) and sent precompressed when its `.br`/`.gz` copies exist.
 * With `apiOf` (the panel's URL), its /api calls go to the panel's server.
 */
export async function startFloor(dist: string, apiOf?: string): Promise<Running> {
  const app = Fastify({ logger: false });
  if (apiOf) {
    // The plain reference's lookup: GET /api/* sent on to the panel's server (its demo mock), with
    // the mock's session cookie, so it is answered by the same mock as the panel's.
    app.get('/api/*', async (req, reply) => {
      const headers: Record<string, string> = { accept: 'application/json', 'x-katapult-panel': '1' };
      if (req.headers.cookie) headers.cookie = req.headers.cookie;
      const res = await fetch(`${apiOf}${req.url}`, { headers });
      return reply.code(res.status).header('content-type', res.headers.get('content-type') ?? 'application/json').header('cache-control', 'no-store').send(Buffer.from(await res.arrayBuffer()));
    });
  }
  await app.register(fastifyStatic, {
    root: dist,
    cacheControl: false,
    preCompressed: true,
    setHeaders: (res, path) => {
      const hashed = relative(dist, path).startsWith(`assets${sep}`);
      res.header('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { url: urlOf(app.server.address()), close: () => app.close() };
}
