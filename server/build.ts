/** `npm start` serves a build: make one when dist/ is missing or older than the sources. */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return readdirSync(path).reduce((m, name) => Math.max(m, newestMtime(join(path, name))), s.mtimeMs);
}

export function isBuildStale(root: string, distDir = 'dist'): boolean {
  const built = join(root, distDir, 'index.html');
  if (!existsSync(built)) return true;
  const sources = ['src', 'public', 'index.html', 'vite.config.ts', 'package.json'].map((p) => newestMtime(join(root, p)));
  return Math.max(...sources) > statSync(built).mtimeMs;
}

export async function ensureBuild(root: string, distDir = 'dist', log: (msg: string) => void = console.log) {
  if (!isBuildStale(root, distDir)) return false;
  log(`building the panel into ${distDir}/ (missing or older than its sources)…`);
  const { build } = await import('vite');
  await build({ root, configFile: join(root, 'vite.config.ts'), logLevel: 'warn', build: { outDir: distDir, emptyOutDir: true } });
  return true;
}
