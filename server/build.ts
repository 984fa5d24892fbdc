/** `npm start` serves a build: make one when dist/ is missing or older than the sources. */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The mount() module, written by the same `vite build` (server/embed-build.ts), served at /embed/katapult-panel.js. */
export const EMBED_DIR = 'embed';
export const EMBED_FILE = 'katapult-panel.js';

/** What the build is made from; a change to any of them makes dist/ stale. */
export const BUILD_INPUTS = ['src', 'public', 'index.html', 'vite.config.ts', 'server/embed-build.ts', 'package.json'] as const;

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  // A directory's own mtime changes when a file in it is deleted or renamed.
  return readdirSync(path).reduce((m, name) => Math.max(m, newestMtime(join(path, name))), s.mtimeMs);
}

export function isBuildStale(root: string = PROJECT_ROOT, distDir = 'dist'): boolean {
  const built = join(root, distDir, 'index.html');
  if (!existsSync(built)) return true;
  if (!existsSync(join(root, distDir, EMBED_DIR, EMBED_FILE))) return true;
  const newestSource = Math.max(...BUILD_INPUTS.map((p) => newestMtime(join(root, p))));
  return newestSource > statSync(built).mtimeMs;
}

/**
 * Build the SPA with Vite's JS API when `<root>/<distDir>/index.html` is missing or older than the
 * newest build input. Resolves to whether it built.
 */
export async function ensureBuild(
  root: string = PROJECT_ROOT,
  distDir = 'dist',
  log: (msg: string) => void = (msg) => console.log(msg),
): Promise<boolean> {
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
  log(`Built ${distDir}/ in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  return true;
}
