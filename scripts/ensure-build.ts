/**
 * `npm start`'s first step (prestart, through scripts/prestart.mjs), in its own process: build the
 * SPA (Vite, the prerendered first screen, then the precompressed copies) when dist/ is missing or
 * stale, and compile the server into dist-server/ when that is stale; server/build.ts decides from
 * the hash of each build's inputs, which each build records when it has finished. The server process
 * that follows never loads Vite.
 * `--force` builds both whatever their state (`npm run build`); `--spa` builds the SPA only.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isBuildStale, isServerBuildStale, SERVER_OUT_DIR, serverInputsHash, spaInputsHash, writeStamp } from '../server/build.ts';
import { PROJECT_ROOT as root } from '../server/root.ts';
import { compressDir } from './compress.ts';
import { prerenderPage } from './prerender.ts';

/** Builds the SPA into `<root>/<distDir>` when it is missing or stale (or `force`); resolves to whether it built. */
export async function ensureSpaBuild(root: string, distDir: string, log: (s: string) => void = console.log, force = false): Promise<boolean> {
  if (!force && !isBuildStale(root, distDir)) return false;
  // Hashed before building: an input edited while the build runs leaves the build stale, as it is.
  const inputs = spaInputsHash(root);
  log(`Building the panel into ${distDir}/ with Vite (${force ? 'asked for' : 'it was missing or its inputs changed'})…`);
  const started = Date.now();
  const { build } = await import('vite');
  const configFile = join(root, 'vite.config.ts');
  await build({
    root,
    configFile: existsSync(configFile) ? configFile : false,
    logLevel: 'warn',
    build: { outDir: distDir, emptyOutDir: true },
  });
  await prerenderPage(root, distDir);
  compressDir(join(root, distDir));
  writeStamp(join(root, distDir), inputs);
  log(`Built ${distDir}/ in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  return true;
}

/** Compiles the server into dist-server/ when it is missing or stale (or `force`); resolves to whether it compiled. */
export function ensureServerBuild(root: string, log: (s: string) => void = console.log, force = false): boolean {
  if (!force && !isServerBuildStale(root)) return false;
  const inputs = serverInputsHash(root);
  log(`Compiling the server into ${SERVER_OUT_DIR}/…`);
  const tsc = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.server.json')], {
    stdio: 'inherit',
  });
  if (tsc.status !== 0) process.exit(tsc.status ?? 1);
  writeStamp(join(root, SERVER_OUT_DIR), inputs);
  return true;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const force = process.argv.includes('--force');
  await ensureSpaBuild(root, process.env.DIST_DIR?.trim() || 'dist', console.log, force);
  if (!process.argv.includes('--spa')) ensureServerBuild(root, console.log, force);
}
