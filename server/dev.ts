/** `npm run dev`: the same server (and mock) for /api and /__mock, with Vite's dev server in front. */
import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';
import { buildServer } from './app.ts';
import { loadConfig } from './config.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const config = loadConfig({ ...process.env, DIST_DIR: '.no-dist' });
const apiPort = config.port === 3000 ? 3001 : config.port + 1;
const api = await buildServer(config, { root });
await api.listen({ port: apiPort, host: '127.0.0.1' });
const target = `http://127.0.0.1:${apiPort}`;
const vite = await createServer({
  root,
  server: { host: config.host, port: Number(process.env.VITE_PORT ?? 5173), proxy: { '/api': target, '/__mock': target } },
});
await vite.listen();
vite.printUrls();
