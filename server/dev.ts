/**
 * `npm run dev`: the same Fastify app (proxy, or mock in demo mode; no static files) on API_PORT
 * (default 3001), with Vite's dev server on PORT (default 5173) proxying /api and /__mock to it.
 */
import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';
import { buildServer } from './app.ts';
import { openAuditStore } from './audit/store.ts';
import { loadConfig } from './config.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const vitePort = Number(process.env.PORT ?? 5173);
const apiPort = Number(process.env.API_PORT ?? 3001);
const config = loadConfig({ ...process.env, PORT: String(apiPort) });

const api = await buildServer(config, { root, distDir: null, audit: await openAuditStore(config.audit) });
await api.listen({ port: apiPort, host: '127.0.0.1' });
const target = `http://127.0.0.1:${apiPort}`;
api.log.info(`API (${config.mode === 'demo' ? 'demo: embedded mock' : `live: ${config.upstreamUrl}`}) on ${target}`);

const vite = await createServer({
  root,
  configFile: fileURLToPath(new URL('../vite.config.ts', import.meta.url)),
  server: { host: config.host, port: vitePort, strictPort: true, proxy: { '/api': target, '/__mock': target } },
});
await vite.listen();
vite.printUrls();

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void Promise.allSettled([vite.close(), api.close()]).then(() => process.exit(0));
  });
}
