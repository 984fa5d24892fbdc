/**
 * The lookup part of the bench for two builds in one run, their runs interleaved (base, this tree,
 * base, …), so that both meet the same load on a shared machine: the figures to compare are the
 * ratios of this run, not two runs' absolute figures. The base is a git ref, built from its files
 * exported into a temporary folder (`git archive`, sharing this tree's node_modules).
 *
 *   npx tsx bench/compare-lookup.ts --base main [--rounds 6]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch } from './browser.ts';
import { viteBuild } from './build.ts';
import { measureLookups, type LookupFigures } from './lookup.ts';
import type { prerenderPage as PrerenderPage } from '../scripts/prerender.ts';
import { startPanel } from './servers.ts';
import { median } from './stats.ts';

const ROOT = join(import.meta.dirname, '..');

async function buildAt(root: string, distDir: string) {
  await viteBuild(root, root, join(root, distDir));
  // That tree's own prerender step, as its `npm run build` runs it.
  const prerender = (await import(join(root, 'scripts', 'prerender.ts'))) as { prerenderPage: typeof PrerenderPage };
  await prerender.prerenderPage(root, distDir);
}

async function main() {
  const args = process.argv.slice(2);
  const arg = (k: string) => {
    const i = args.indexOf(k);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const base = arg('--base') ?? 'main';
  const rounds = Number(arg('--rounds') ?? 6);
  const worktree = mkdtempSync(join(tmpdir(), 'katapult-compare-'));
  execFileSync('sh', ['-c', `git archive --format=tar "$0" | tar -x -C "$1"`, base, worktree], { cwd: ROOT, stdio: 'inherit' });
  try {
    if (!existsSync(join(worktree, 'node_modules'))) symlinkSync(join(ROOT, 'node_modules'), join(worktree, 'node_modules'));
    console.log(`Building ${base} and this tree …`);
    await buildAt(worktree, 'dist');
    await buildAt(ROOT, 'dist-compare');
    const servers = { base: await startPanel(worktree, 'dist'), tree: await startPanel(ROOT, 'dist-compare') };
    const browser = await launch();
    const load = [loadavg()[0]];
    const runs: Record<keyof typeof servers, LookupFigures['perRun']> = { base: [], tree: [] };
    try {
      for (let r = 0; r < rounds; r++) {
        // Two runs each (the bench's two interfaces), base first in even rounds and last in odd ones.
        for (const side of r % 2 ? (['tree', 'base'] as const) : (['base', 'tree'] as const)) {
          runs[side].push(...(await measureLookups(browser, servers[side].url, 2, () => {})).perRun);
        }
        console.log(`  round ${r + 1}/${rounds}`);
      }
    } finally {
      load.push(loadavg()[0]);
      await browser.close();
      await servers.base.close();
      await servers.tree.close();
    }
    const rows: [string, (x: LookupFigures['perRun'][number]) => number, number][] = [
      ['the lookup request leaves (ms after the press)', (x) => x.sentMs, 0],
      ['answer in → frame painting the card done (ms)', (x) => x.answerToFrameDoneMs, 0],
      ['current profile shown (round trips)', (x) => x.profileRoundTrips, 2],
      ['profile list ready (round trips)', (x) => x.listReadyRoundTrips, 2],
    ];
    console.log(`\n${runs.base.length} runs each, interleaved; load average (1 min) ${load.map((l) => l?.toFixed(2)).join(' → ')}\n`);
    console.log(`| median | ${base} | this tree | this tree / ${base} |\n|---|---:|---:|---:|`);
    for (const [name, f, digits] of rows) {
      const [a, b] = [median(runs.base.map(f)), median(runs.tree.map(f))];
      console.log(`| ${name} | ${a.toFixed(digits)} | ${b.toFixed(digits)} | ${(b / a).toFixed(2)} |`);
    }
  } finally {
    rmSync(worktree, { recursive: true, force: true });
  }
  process.exit(0);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(2);
});
