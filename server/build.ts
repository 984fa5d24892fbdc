/**
 * Whether the build is stale. The build itself runs outside the server process (`npm run build`,
 * or scripts/ensure-build.ts before `npm start`), so the server never loads Vite.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from './root.ts';

/** The mount() module, written by the same `vite build` (embed-build.ts, beside vite.config.ts), served at /embed/katapult-panel.js. */
export const EMBED_DIR = 'embed';
export const EMBED_FILE = 'katapult-panel.js';

/** What the SPA build is made from; a change to any of them makes dist/ stale. */
export const BUILD_INPUTS = ['src', 'protocol', 'public', 'index.html', 'vite.config.ts', 'embed-build.ts', 'scripts/prerender.ts', 'package.json'] as const;
/** What scripts/prerender.ts writes into index.html: a page without it was built by a bare `vite build`. */
export const PRERENDER_MARK = '<form method="get"';
/** What the compiled server (dist-server/) is made from. */
export const SERVER_INPUTS = ['server', 'protocol', 'mock', 'spec', 'tsconfig.json', 'tsconfig.server.json', 'package.json'] as const;
export const SERVER_OUT_DIR = 'dist-server';
export const SERVER_ENTRY = join(SERVER_OUT_DIR, 'server', 'main.js');

export function newestMtime(path: string): number {
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
  if (!readFileSync(built, 'utf8').includes(PRERENDER_MARK)) return true;
  const newestSource = Math.max(...BUILD_INPUTS.map((p) => newestMtime(join(root, p))));
  return newestSource > statSync(built).mtimeMs;
}

export function isServerBuildStale(root: string = PROJECT_ROOT): boolean {
  const entry = join(root, SERVER_ENTRY);
  if (!existsSync(entry)) return true;
  return Math.max(...SERVER_INPUTS.map((p) => newestMtime(join(root, p)))) > statSync(entry).mtimeMs;
}
