/**
 * `npm start`'s first step, in plain JavaScript so that it runs wherever `node` does. In a checkout
 * (dev dependencies installed) it runs scripts/ensure-build.ts under tsx, which builds whatever is
 * stale. A deployment pruned to the runtime dependencies (`npm prune --omit=dev`) has no tsx, Vite
 * or TypeScript to build with: it starts the build it has, as it is, and refuses only when there is
 * no compiled server at all.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

if (existsSync(join(root, 'node_modules', 'tsx', 'package.json'))) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'ensure-build.ts')], { cwd: root, stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
if (!existsSync(join(root, 'dist-server', 'server', 'main.js'))) {
  console.error(
    'No compiled server in dist-server/, and no dev dependencies to build one (tsx, Vite, TypeScript are not installed). ' +
      'Run `npm ci && npm run build` first; `npm prune --omit=dev` may follow the build, not precede it.',
  );
  process.exit(1);
}
console.log(
  'Dev dependencies are not installed (npm prune --omit=dev): starting the build in dist-server/ and dist/ as it is, ' +
    'without checking it against the sources. After changing them, run `npm ci && npm run build` again.',
);
