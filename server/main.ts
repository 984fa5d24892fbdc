import { fileURLToPath } from 'node:url';
import { buildServer } from './app.ts';
import { ensureBuild } from './build.ts';
import { loadConfig } from './config.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const config = loadConfig();
if (process.env.SKIP_BUILD !== '1') await ensureBuild(root, config.distDir);
const app = await buildServer(config, { root });
await app.listen({ port: config.port, host: config.host });
app.log.info(
  { mode: config.mode, upstream: config.mode === 'live' ? config.upstreamUrl : 'embedded mock', tokenConfigured: !!config.token },
  `panel listening on http://${config.host}:${config.port} (${config.mode === 'demo' ? 'demo data' : 'live Katapult'})`,
);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void app.close().then(() => process.exit(0));
  });
}
