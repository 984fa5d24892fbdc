/**
 * Builds the panel and the two references (the floor, bench/reference; the plain build,
 * bench/reference-plain) with the project's own Vite build options, and sizes what they ship.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { InlineConfig, PluginOption } from 'vite';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

export interface Sizes {
  raw: number;
  gzip: number;
  brotli: number;
}
/**
 * What a build ships, gzip/brotli per file and summed. "initial" is what index.html loads before any
 * lazy import: its module scripts and modulepreloads, its stylesheets, and any inline <script> or
 * <style> in it; "total" is every .js and .css file under assets/ plus that inline code. The budgets
 * are on JS + CSS, so styling counts wherever it lives (in JS with emotion, in .css with Pigment).
 */
export interface BundleFigures {
  initialJs: Sizes & { files: string[] };
  initialCss: Sizes & { files: string[] };
  totalJs: Sizes & { files: number };
  totalCss: Sizes & { files: number };
  /** Inline <script> and <style> in index.html (counted in both initial and total). */
  inline: Sizes;
  initial: Sizes;
  total: Sizes;
}
export interface ChunkInfo {
  file: string;
  initial: boolean;
  raw: number;
  gzip: number;
  /** Rendered bytes per package (or `src/…` folder) inside the chunk, largest first. */
  packages: { name: string; bytes: number }[];
  /** Rendered bytes per module (path relative to the project, or inside node_modules), largest first. */
  modules: { name: string; bytes: number }[];
}

const zero = (): Sizes => ({ raw: 0, gzip: 0, brotli: 0 });

export function sizeOf(buf: Buffer): Sizes {
  return {
    raw: buf.length,
    gzip: gzipSync(buf, { level: 9 }).length,
    brotli: brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

const add = (a: Sizes, b: Sizes): Sizes => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip, brotli: a.brotli + b.brotli });

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

const local = (urls: Set<string>) => [...urls].filter((u) => !/^https?:/.test(u)).map((u) => u.replace(/^\//, ''));

function linksWithRel(html: string, rel: string): Set<string> {
  const urls = new Set<string>();
  for (const m of html.matchAll(/<link\b[^>]*>/g)) {
    if (!new RegExp(`\\brel="${rel}"`).test(m[0])) continue;
    const href = /\bhref="([^"]+)"/.exec(m[0])?.[1];
    if (href) urls.add(href);
  }
  return urls;
}

/** What index.html loads before any lazy chunk: its module scripts and modulepreloads. */
export function initialScripts(html: string): string[] {
  const urls = linksWithRel(html, 'modulepreload');
  for (const m of html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)) if (m[1]) urls.add(m[1]);
  return local(urls);
}

/** The stylesheets index.html links. */
export const initialStyles = (html: string): string[] => local(linksWithRel(html, 'stylesheet'));

/** Inline <script> (not JSON data) and <style> in index.html. */
function inlineCode(html: string): Buffer {
  const parts: string[] = [];
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
    if (/\bsrc=/.test(m[1] ?? '') || /type="application\/(ld\+)?json"/.test(m[1] ?? '')) continue;
    if (m[2]?.trim()) parts.push(m[2]);
  }
  for (const m of html.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style>/g)) if (m[1]?.trim()) parts.push(m[1]);
  return Buffer.from(parts.join('\n'));
}

export function measureDist(dist: string): BundleFigures {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const initialJs = initialScripts(html);
  const initialCss = initialStyles(html);
  // Only what the SPA itself can load: Vite's assets/ (not e.g. the separate embed/ library build,
  // nor the .gz/.br copies of its files).
  const all = filesUnder(join(dist, 'assets')).map((p) => relative(dist, p).split('\\').join('/'));
  const js = all.filter((f) => f.endsWith('.js'));
  const css = all.filter((f) => f.endsWith('.css'));
  const sized = (files: string[]) => files.map((f) => sizeOf(readFileSync(join(dist, f)))).reduce(add, zero());
  const code = inlineCode(html);
  const inline = code.length ? sizeOf(code) : zero();
  const figures = {
    initialJs: { ...sized(initialJs), files: initialJs },
    initialCss: { ...sized(initialCss), files: initialCss },
    totalJs: { ...sized(js), files: js.length },
    totalCss: { ...sized(css), files: css.length },
    inline,
  };
  return {
    ...figures,
    initial: [figures.initialJs, figures.initialCss, inline].reduce(add, zero()),
    total: [figures.totalJs, figures.totalCss, inline].reduce(add, zero()),
  };
}

interface OutChunk {
  type: 'chunk' | 'asset';
  fileName: string;
  modules?: Record<string, { renderedLength: number }>;
  code?: string;
}

/** A module's id as a short path: after the last node_modules/, else relative to the project. */
export function moduleName(id: string, root: string): string {
  const clean = id.replace(/\?.*$/, '').replace(/^\0/, '');
  const nm = clean.lastIndexOf('node_modules/');
  if (nm >= 0) return clean.slice(nm + 'node_modules/'.length);
  const rel = relative(root, clean);
  return rel.startsWith('..') ? clean : rel;
}

export function packageOf(id: string, root: string): string {
  const clean = id.replace(/\?.*$/, '').replace(/^\0/, '');
  const nm = clean.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = clean.slice(nm + 'node_modules/'.length).split('/');
    return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1] ?? ''}` : (rest[0] ?? clean);
  }
  const rel = relative(root, clean);
  if (rel.startsWith('..')) return clean;
  const parts = rel.split('/');
  // src/features/<feature>, src/<dir>, or the file itself.
  return parts[0] === 'src' && parts[1] === 'features' ? parts.slice(0, 3).join('/') : parts.slice(0, Math.min(2, parts.length - 1) || 1).join('/');
}

/**
 * Vite build of `appRoot` (its index.html) into `outDir`. The panel (`appRoot === projectRoot`) is
 * built with the project's vite.config.ts as is; a reference with the same React plugin and the same
 * `build` options (target, sourcemap…) but none of the panel's own plugins (the embed library).
 * `extraPlugins` are added to either (the bundle visualiser of `npm run analyze`).
 * Returns per-chunk composition, for the "biggest contributors" list.
 */
export async function viteBuild(projectRoot: string, appRoot: string, outDir: string, extraPlugins: PluginOption[] = []): Promise<ChunkInfo[]> {
  const { build, loadConfigFromFile } = await import('vite');
  const configFile = join(projectRoot, 'vite.config.ts');
  const hasConfig = existsSync(configFile);
  let inline: InlineConfig = { configFile: hasConfig ? configFile : false };
  if (appRoot !== projectRoot) {
    const loaded = hasConfig
      ? await loadConfigFromFile({ command: 'build', mode: 'production' }, configFile, projectRoot, 'silent')
      : null;
    const { default: react } = await import('@vitejs/plugin-react');
    inline = { configFile: false, plugins: [react()], build: { ...(loaded?.config.build ?? {}) } };
  }
  const result = await build({
    ...inline,
    plugins: [...(inline.plugins ?? []), ...extraPlugins],
    root: appRoot,
    logLevel: 'warn',
    build: { ...inline.build, outDir, emptyOutDir: true },
  });
  const outputs = (Array.isArray(result) ? result : [result]) as { output?: OutChunk[] }[];
  const chunks = outputs.flatMap((o) => o.output ?? []).filter((c) => c.type === 'chunk');
  const html = readFileSync(join(outDir, 'index.html'), 'utf8');
  const initial = new Set(initialScripts(html));
  return chunks
    .map((c) => {
      const byPkg = new Map<string, number>();
      const modules: { name: string; bytes: number }[] = [];
      for (const [id, m] of Object.entries(c.modules ?? {})) {
        const name = packageOf(id, projectRoot);
        byPkg.set(name, (byPkg.get(name) ?? 0) + m.renderedLength);
        modules.push({ name: moduleName(id, projectRoot), bytes: m.renderedLength });
      }
      const buf = Buffer.from(c.code ?? '');
      return {
        file: c.fileName,
        initial: initial.has(c.fileName),
        raw: buf.length,
        gzip: gzipSync(buf, { level: 9 }).length,
        packages: [...byPkg].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes),
        modules: modules.sort((a, b) => b.bytes - a.bytes).slice(0, 20),
      };
    })
    .sort((a, b) => b.raw - a.raw);
}

/** True when the build ships precompressed copies (`.br`) of its assets. */
export const hasPrecompressed = (dist: string): boolean => filesUnder(join(dist, 'assets')).some((f) => f.endsWith('.br'));

/**
 * Writes `.gz` and `.br` beside a reference's HTML, JS and CSS, so that when the panel's server sends
 * precompressed files the reference is sent the same way (brotli and gzip at their highest levels).
 */
export function precompress(dist: string): void {
  for (const f of filesUnder(dist).filter((p) => /\.(html|js|css)$/.test(p))) {
    const buf = readFileSync(f);
    writeFileSync(`${f}.gz`, gzipSync(buf, { level: 9 }));
    writeFileSync(`${f}.br`, brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
  }
}
