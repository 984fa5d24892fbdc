/**
 * The server's idle memory after `npm start`, as the production path runs it: scripts/ensure-build.ts
 * in its own process (builds what is stale), then `node dist-server/server/main.js`. Measured twice:
 * a first start (no build yet: the build happens first, in the other process) and a start with the
 * build present. RSS of the server process, read after it has answered /healthz and stayed idle.
 * `tsx bench/idle-rss.ts` runs it alone.
 */
import { execFileSync, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SERVER_ENTRY } from '../server/build.ts';
import { PROJECT_ROOT } from '../server/root.ts';

/** A build directory of its own (under the project root, ignored by git), so dist/ is left alone. */
const DIST_DIR = 'dist-idle-rss';
const IDLE_MS = 5000;

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

const rssMb = (pid: number) => Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)]).toString().trim()) / 1024;

/** One `npm start`: the build step, then the server; resolves with the server's RSS once idle. */
async function startAndMeasure(): Promise<number> {
  const env = { ...process.env, DIST_DIR, LOG_LEVEL: 'warn', KATAPULT_API_URL: '' };
  execFileSync(join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx'), [join(PROJECT_ROOT, 'scripts', 'ensure-build.ts')], {
    cwd: PROJECT_ROOT,
    env,
    stdio: 'inherit',
  });
  const port = await freePort();
  const server = spawn(process.execPath, ['--max-semi-space-size=32', join(PROJECT_ROOT, SERVER_ENTRY)], {
    cwd: PROJECT_ROOT,
    env: { ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: 'inherit',
  });
  try {
    for (;;) {
      if (server.exitCode !== null) throw new Error(`the server exited with ${server.exitCode}`);
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false);
      if (ok) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, IDLE_MS));
    return Math.round(rssMb(server.pid ?? 0) * 10) / 10;
  } finally {
    server.kill('SIGTERM');
  }
}

export interface IdleRssFigures {
  firstStartRssMb: number;
  noBuildRssMb: number;
}

export async function idleRss(): Promise<IdleRssFigures> {
  rmSync(join(PROJECT_ROOT, DIST_DIR), { recursive: true, force: true });
  try {
    const firstStartRssMb = await startAndMeasure();
    const noBuildRssMb = await startAndMeasure();
    return { firstStartRssMb, noBuildRssMb };
  } finally {
    rmSync(join(PROJECT_ROOT, DIST_DIR), { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const r = await idleRss();
  console.log(`Idle RSS of the server after npm start: first start (build made first, in its own process) ${r.firstStartRssMb} MB; build already there ${r.noBuildRssMb} MB (budget 150 MB).`);
}
