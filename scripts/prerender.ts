/**
 * The build's last SPA step, after `vite build`: Vite builds the small server entry
 * src/entry-prerender.tsx for Node, renders the first screen (`/`) with it, and writes the HTML and
 * its critical CSS into `<distDir>/index.html`, so the page shows the lookup form before any script runs.
 * scripts/ensure-build.ts (`npm run build`, and `npm start` when stale) calls prerenderPage() after its Vite build;
 * it also runs as a script after a bare `vite build`.
 */
import react from '@vitejs/plugin-react';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FirstScreen, renderFirstScreen } from '../src/entry-prerender.tsx';

const ROOT_ELEMENT = '<main id="root"></main>';

/** index.html with the rendered screen inside `#root` and its styles at the end of <head>. */
export function injectFirstScreen(page: string, { html, styles }: FirstScreen): string {
  if (!page.includes(ROOT_ELEMENT)) throw new Error(`index.html has no empty ${ROOT_ELEMENT} to prerender into`);
  // Functions as replacements: `$` in the HTML or CSS is not a replacement pattern.
  return page.replace('</head>', () => `${styles}</head>`).replace(ROOT_ELEMENT, () => `<main id="root">${html}</main>`);
}

export async function prerenderPage(root: string, distDir: string): Promise<void> {
  const { build } = await import('vite');
  const outDir = mkdtempSync(join(tmpdir(), 'katapult-prerender-'));
  try {
    await build({
      configFile: false,
      root,
      logLevel: 'warn',
      publicDir: false,
      plugins: [react()],
      // Everything bundled, so the entry runs from a temporary folder without resolving node_modules.
      ssr: { noExternal: true, target: 'node' },
      build: {
        ssr: join(root, 'src', 'entry-prerender.tsx'),
        outDir,
        emptyOutDir: true,
        target: 'node20',
        minify: false,
        copyPublicDir: false,
        rolldownOptions: { output: { entryFileNames: 'entry-prerender.mjs', codeSplitting: false } },
      },
    });
    const entry = (await import(pathToFileURL(join(outDir, 'entry-prerender.mjs')).href)) as { renderFirstScreen: typeof renderFirstScreen };
    const screen = await entry.renderFirstScreen();
    const page = join(root, distDir, 'index.html');
    writeFileSync(page, injectFirstScreen(readFileSync(page, 'utf8'), screen));
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const distDir = process.argv[2] ?? process.env.DIST_DIR ?? 'dist';
  await prerenderPage(process.cwd(), distDir);
  console.log(`Prerendered the first screen into ${distDir}/index.html.`);
}
