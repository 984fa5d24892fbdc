/**
 * The panel's server in live mode, alone in its process (as `npm start` runs it), for the proxy
 * part of `npm run bench`: proxies to UPSTREAM_URL, prints its port on stdout.
 */
import { buildServer } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';

const app = await buildServer(
  loadConfig({ KATAPULT_API_URL: process.env.UPSTREAM_URL, KATAPULT_API_TOKEN: 'bench', LOG_LEVEL: 'silent' }),
  { logger: false, distDir: null },
);
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
process.stdout.write(`${typeof address === 'object' && address ? address.port : 0}\n`);
