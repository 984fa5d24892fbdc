/**
 * Whether the build is stale. The build itself runs outside the server process (`npm run build`,
 * or scripts/ensure-build.ts before `npm start`), so the server never loads Vite.
 *
 * Staleness is decided from the build's own inputs: a build records the hash of the files it was
 * made from (BUILD_STAMP in its output), and it is fresh while those files hash the same. Contents,
 * not times: a `git checkout` or a copy that touches every file rebuilds nothing, and an edit whose
 * time is older than the build (a restored file) still rebuilds.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from './root.ts';

/** The mount() module, written by the same `vite build` (embed-build.ts, beside vite.config.ts), served at /embed/katapult-panel.js. */
export const EMBED_DIR = 'embed';
export const EMBED_FILE = 'katapult-panel.js';

/** What the SPA build is made from; a change to any of them makes dist/ stale. */
export const BUILD_INPUTS = [
  'src',
  'protocol',
  'public',
  'index.html',
  'vite.config.ts',
  'tsconfig.json',
  'embed-build.ts',
  'scripts/prerender.ts',
  'scripts/compress.ts',
  'package.json',
  'package-lock.json',
] as const;
/** What the compiled server (dist-server/) is made from. */
export const SERVER_INPUTS = ['server', 'protocol', 'mock', 'spec', 'tsconfig.json', 'tsconfig.server.json', 'package.json', 'package-lock.json'] as const;
export const SERVER_OUT_DIR = 'dist-server';
export const SERVER_ENTRY = join(SERVER_OUT_DIR, 'server', 'main.js');
/** Written last into a finished build (dist/ and dist-server/): the hash of the inputs it was made from. */
export const BUILD_STAMP = '.build-inputs.json';

/** Tests are no input of either build (neither bundles nor compiles them). */
const IGNORED = /\.test\.tsx?$/;

function filesOf(root: string, path: string, out: string[]): void {
  const full = join(root, path);
  if (!existsSync(full)) return;
  if (!statSync(full).isDirectory()) {
    if (!IGNORED.test(path)) out.push(path);
    return;
  }
  for (const name of readdirSync(full).sort()) filesOf(root, `${path}/${name}`, out);
}

/** One hash over the inputs' paths and contents (a file added, removed, renamed or edited changes it). */
export function inputsHash(root: string, inputs: readonly string[]): string {
  const files: string[] = [];
  for (const p of inputs) filesOf(root, p, files);
  const hash = createHash('sha256');
  for (const f of files) {
    hash.update(`${f}\0`);
    hash.update(readFileSync(join(root, f)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

function stampMatches(outDir: string, hash: string): boolean {
  try {
    return (JSON.parse(readFileSync(join(outDir, BUILD_STAMP), 'utf8')) as { inputs?: unknown }).inputs === hash;
  } catch {
    return false;
  }
}

export function writeStamp(outDir: string, hash: string): void {
  writeFileSync(join(outDir, BUILD_STAMP), `${JSON.stringify({ inputs: hash })}\n`);
}

export const spaInputsHash = (root: string = PROJECT_ROOT) => inputsHash(root, BUILD_INPUTS);
export const serverInputsHash = (root: string = PROJECT_ROOT) => inputsHash(root, SERVER_INPUTS);

export function isBuildStale(root: string = PROJECT_ROOT, distDir = 'dist'): boolean {
  const out = join(root, distDir);
  if (!existsSync(join(out, 'index.html'))) return true;
  if (!existsSync(join(out, EMBED_DIR, EMBED_FILE))) return true;
  return !stampMatches(out, spaInputsHash(root));
}

export function isServerBuildStale(root: string = PROJECT_ROOT): boolean {
  if (!existsSync(join(root, SERVER_ENTRY))) return true;
  return !stampMatches(join(root, SERVER_OUT_DIR), serverInputsHash(root));
}
