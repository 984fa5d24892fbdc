/**
 * The server process: serves the built SPA with the proxy (live) or the mock (demo). It never
 * builds: `npm start` runs scripts/ensure-build.ts first, in its own process, so Vite's memory is
 * never this process's; a production start runs `npm run build` once, then `node dist-server/server/main.js`.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildServer } from './app.ts';
import { sqliteFiles } from './audit/config.ts';
import { openAuditStore, type AuditStore } from './audit/store.ts';
import { createChangeFeed, type ChangeFeed } from './changes/feed.ts';
import { loadConfig, type ServerConfig } from './config.ts';
import { PROJECT_ROOT as root } from './root.ts';

let config: ServerConfig;
try {
  config = loadConfig();
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
}

// The demo's own audit file belongs to this process: whatever is there was left by a dead process
// that had this pid, and it goes when this one closes.
const removeTemporaryAudit = () => {
  if (config.audit.temporary) for (const f of sqliteFiles(config.audit.sqlitePath)) rmSync(f, { force: true });
};
removeTemporaryAudit();

// The audit log's database must be there (and migrated) before the first change can be accepted.
// Every write to it goes out on the change feed (to this server's event streams, and with PostgreSQL to every server's).
let audit: AuditStore;
let feed: ChangeFeed;
let feedError = (e: unknown, what: string) => console.error(what, e);
try {
  feed = await createChangeFeed(config.audit, { onError: (e, what) => feedError(e, what) });
  audit = await openAuditStore(config.audit, { feed });
} catch (e) {
  const where = config.audit.kind === 'postgres' ? 'the PostgreSQL at DATABASE_URL' : `the SQLite file ${config.audit.sqlitePath}`;
  console.error(`The audit log cannot be opened (${where}): ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}
const app = await buildServer(config, { root, audit, feed });
feedError = (e, what) => app.log.warn({ err: e }, what);
// The first line says which mode this is: a demo must never pass for the real thing.
app.log.info(
  { mode: config.mode },
  config.mode === 'demo'
    ? 'Demo mode: serving the embedded mock’s data, not Katapult (no KATAPULT_API_URL)'
    : `Live mode: Katapult at ${config.upstreamUrl}`,
);
if (!existsSync(join(root, config.distDir, 'index.html'))) {
  app.log.warn(`No build in ${config.distDir}/: only the API is served. Run \`npm run build\` (npm start does it when needed).`);
}

let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    if (closing) return;
    closing = true;
    app.log.info(`${signal}: closing`);
    // Connections without an answer in flight end at once, and the others when their answer is sent,
    // within its deadline (plugins/graceful-close.ts): this is only the backstop for a close that
    // still does not finish.
    setTimeout(() => process.exit(1), config.upstreamTimeoutMs + 5000).unref();
    app.close().then(
      () => {
        removeTemporaryAudit();
        process.exit(0);
      },
      () => process.exit(1),
    );
  });
}

await app.listen({ port: config.port, host: config.host });
const host = config.host.includes(':') ? `[${config.host}]` : config.host;
app.log.info(
  {
    mode: config.mode,
    upstream: config.mode === 'live' ? config.upstreamUrl : 'embedded mock',
    tokenConfigured: config.token !== undefined,
    authMode: config.authMode,
    audit: config.audit.kind === 'postgres' ? 'postgres (DATABASE_URL)' : config.audit.sqlitePath,
    trustedUserHeader: config.audit.trustedUserHeader ?? null,
  },
  `Katapult panel listening on http://${host}:${config.port} (${config.mode === 'demo' ? 'demo mode: embedded mock data' : `live: ${config.upstreamUrl}`})`,
);
if (config.mode === 'live' && config.authMode === 'server' && !config.token) {
  app.log.warn('KATAPULT_API_TOKEN is not set: Katapult will answer every request with missing_api_token.');
}
if (config.authMode === 'per-user' && config.token) {
  app.log.warn('AUTH_MODE=per-user: KATAPULT_API_TOKEN is ignored; each browser sends its own token.');
}
