/**
 * `npm run analyze`: the panel's chunk graph. Builds the panel with the project's vite.config.ts
 * plus rollup-plugin-visualizer (into a temporary directory, never dist/), writes the visualiser's
 * treemap and its raw data under bench/analyze/, and prints, for each chunk index.html loads
 * initially, its size and the largest packages and modules in it, and what it imports.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { visualizer } from 'rollup-plugin-visualizer';
import { initialScripts, initialStyles, moduleName, packageOf, sizeOf, viteBuild } from './build.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const REPORT_DIR = join(ROOT, 'bench', 'analyze');

interface Part { renderedLength: number; gzipLength: number; metaUid: string }
interface Meta { id: string; moduleParts: Record<string, string>; imported: { uid: string; dynamic?: boolean }[] }
interface Data { nodeParts: Record<string, Part>; nodeMetas: Record<string, Meta> }

const kB = (b: number) => `${(b / 1024).toFixed(1)} kB`;

async function main() {
  mkdirSync(REPORT_DIR, { recursive: true });
  const out = mkdtempSync(join(tmpdir(), 'bench-analyze-'));
  try {
    const common = { projectRoot: ROOT, gzipSize: true, brotliSize: false } as const;
    await viteBuild(ROOT, ROOT, out, [
      visualizer({ ...common, filename: join(REPORT_DIR, 'panel-treemap.html'), template: 'treemap', title: 'Katapult panel chunks' }),
      visualizer({ ...common, filename: join(REPORT_DIR, 'panel-stats.json'), template: 'raw-data' }),
      visualizer({ ...common, filename: join(REPORT_DIR, 'panel-network.html'), template: 'network', title: 'Katapult panel module graph' }),
    ]);
    const data = JSON.parse(readFileSync(join(REPORT_DIR, 'panel-stats.json'), 'utf8')) as Data;
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    const initial = initialScripts(html);
    const metas = Object.values(data.nodeMetas);
    // Which chunk each module landed in, for the chunk → chunk imports.
    const chunkOf = new Map<string, string>();
    for (const [uid, m] of Object.entries(data.nodeMetas)) for (const chunk of Object.keys(m.moduleParts)) chunkOf.set(uid, chunk);
    console.log(`\nThe panel's initial chunks (what index.html loads before any lazy import; sizes of the built file, gzip -9; "rendered" is a module's bytes in the chunk before minification, its gzip the visualiser's per module)\n`);
    for (const file of initial) {
      const size = sizeOf(readFileSync(join(out, file)));
      const parts = metas.flatMap((m) => {
        const uid = m.moduleParts[file];
        const p = uid ? data.nodeParts[uid] : undefined;
        return p ? [{ id: m.id, rendered: p.renderedLength, gzip: p.gzipLength, meta: m }] : [];
      });
      const byPkg = new Map<string, { rendered: number; gzip: number; n: number }>();
      for (const p of parts) {
        const name = packageOf(p.id, ROOT);
        const x = byPkg.get(name) ?? { rendered: 0, gzip: 0, n: 0 };
        byPkg.set(name, { rendered: x.rendered + p.rendered, gzip: x.gzip + p.gzip, n: x.n + 1 });
      }
      const imports = new Map<string, boolean>();
      for (const p of parts) {
        for (const i of p.meta.imported) {
          const to = chunkOf.get(i.uid);
          if (to && to !== file) imports.set(to, (imports.get(to) ?? true) && !!i.dynamic);
        }
      }
      console.log(`### ${file}: ${kB(size.raw)} raw, ${kB(size.gzip)} gzip, ${parts.length} modules`);
      console.log(`imports ${[...imports].map(([c, dynamic]) => `${c}${dynamic ? ' (lazy)' : ''}`).join(', ') || 'nothing'}`);
      console.log('\n| package | modules | rendered | gzip (per module, summed) |\n|---|--:|--:|--:|');
      for (const [name, x] of [...byPkg].sort((a, b) => b[1].rendered - a[1].rendered).slice(0, 10)) console.log(`| ${name} | ${x.n} | ${kB(x.rendered)} | ${kB(x.gzip)} |`);
      console.log('\n| module | rendered | gzip |\n|---|--:|--:|');
      for (const p of parts.sort((a, b) => b.rendered - a.rendered).slice(0, 12)) console.log(`| ${moduleName(p.id, ROOT)} | ${kB(p.rendered)} | ${kB(p.gzip)} |`);
      console.log('');
    }
    const css = initialStyles(html);
    if (css.length) console.log(`Initial stylesheets: ${css.map((f) => `${f} ${kB(sizeOf(readFileSync(join(out, f))).gzip)} gzip`).join(', ')}`);
    console.log(`Treemap: bench/analyze/panel-treemap.html · module graph: bench/analyze/panel-network.html · data: bench/analyze/panel-stats.json`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(2);
});
