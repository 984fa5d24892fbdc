/**
 * The panel's server in live mode, alone in its process (as `npm start` runs it), for the proxy
 * part of `npm run bench`: proxies to UPSTREAM_URL, prints its port on stdout. SERVER_ROOT, when
 * set, is another checkout of the project (bench/proxy.ts extracts the server on @fastify/reply-from
 * there from git) whose server is run instead.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as App from '../server/app.ts';
import type * as Config from '../server/config.ts';

const root = process.env.SERVER_ROOT;
const load = <T>(own: string, path: string): Promise<T> =>
  (root ? import(pathToFileURL(join(root, path)).href) : import(own)) as Promise<T>;
const { buildServer } = await load<typeof App>('../server/app.ts', 'server/app.ts');
const { loadConfig } = await load<typeof Config>('../server/config.ts', 'server/config.ts');

const app = await buildServer(
  loadConfig({ KATAPULT_API_URL: process.env.UPSTREAM_URL, KATAPULT_API_TOKEN: 'bench', LOG_LEVEL: 'silent' }),
  { logger: false, distDir: null },
);
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
process.stdout.write(`${typeof address === 'object' && address ? address.port : 0}\n`);
