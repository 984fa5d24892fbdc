/**
 * `npm start`'s first step (prestart), in its own process: build the SPA (Vite, the prerendered
 * first screen, then the precompressed copies) when dist/ is missing or older than its sources, and compile the server
 * into dist-server/ when that is stale. The server process that follows never loads Vite.
 * `--spa` builds the SPA only (the e2e suite runs the server from source).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isBuildStale, isServerBuildStale } from '../server/build.ts';
import { PROJECT_ROOT as root } from '../server/root.ts';
import { compressDir } from './compress.ts';
import { prerenderPage } from './prerender.ts';

/** Builds the SPA into `<root>/<distDir>` when it is missing or stale; resolves to whether it built. */
export async function ensureSpaBuild(root: string, distDir: string, log: (s: string) => void = console.log): Promise<boolean> {
  if (!isBuildStale(root, distDir)) return false;
  log(`Building the panel into ${distDir}/ with Vite (it was missing or older than its sources)…`);
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
  log(`Built ${distDir}/ in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  return true;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await ensureSpaBuild(root, process.env.DIST_DIR?.trim() || 'dist');
  if (!process.argv.includes('--spa') && isServerBuildStale(root)) {
    console.log('Compiling the server into dist-server/…');
    const tsc = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.server.json')], {
      stdio: 'inherit',
    });
    if (tsc.status !== 0) process.exit(tsc.status ?? 1);
  }
}
