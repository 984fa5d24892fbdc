/**
 * `npm run bench`: builds the panel and the two references, the floor (bench/reference) and the
 * plain build (bench/reference-plain), with the project's Vite build options, measures them side
 * by side in one run, and checks the budgets of issues 15, 21 and 22. 127.0.0.1 only, Debian's
 * Chromium. Prints the tables (Markdown), writes bench/results.json.
 *
 *   npm run bench                       everything
 *   npm run bench -- --check            exit 1 when a budget is missed (and say which)
 *   npm run bench -- --only bundle,load --runs 12
 *   parts: bundle, load, lookup, tasks, memory, proxy, rss, audit, follow, events
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, release } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch } from './browser.ts';
import { hasPrecompressed, measureDist, precompress, viteBuild, type BundleFigures, type ChunkInfo } from './build.ts';
import { measureLookups, measureMemory, type LookupFigures, type MemoryFigures } from './lookup.ts';
import { measureLoad, type LoadFigures } from './page-load.ts';
import { measureProxy, type ProxyFigures } from './proxy.ts';
import { startFloor, startPanel } from './servers.ts';
import { round } from './stats.ts';
import type { AuditLoadFigures } from './audit-load.ts';
import type { EventFigures } from './events.ts';
import type { FollowFigures } from './follow.ts';
import type { IdleRssFigures } from './idle-rss.ts';
import { followTask, type TaskFigures } from './tasks.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PANEL_DIST_DIR = 'dist-bench';
const FLOOR_ROOT = join(ROOT, 'bench', 'reference');
const FLOOR_DIST = join(FLOOR_ROOT, 'dist');
const PLAIN_ROOT = join(ROOT, 'bench', 'reference-plain');
const PLAIN_DIST = join(PLAIN_ROOT, 'dist');
const PARTS = ['bundle', 'load', 'lookup', 'tasks', 'memory', 'proxy', 'rss', 'audit', 'follow', 'events'] as const;
type Part = (typeof PARTS)[number];
const TASK_DURATIONS = [2000, 10_000, 60_000];
const LOAD_CPU_RATE = 4;

function parseArgs(argv: string[]) {
  let check = false;
  let runs = 12;
  let only: Part[] = [...PARTS];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    const value = () => (a.includes('=') ? a.slice(a.indexOf('=') + 1) : (argv[++i] ?? ''));
    if (a === '--check') check = true;
    else if (a.startsWith('--runs')) runs = Math.max(1, Number.parseInt(value(), 10) || 12);
    else if (a.startsWith('--only')) {
      // `server` was the proxy part's earlier name.
      const want = value().split(',').map((s) => s.trim()).filter(Boolean).map((s) => (s === 'server' ? 'proxy' : s));
      const bad = want.filter((w) => !(PARTS as readonly string[]).includes(w));
      if (bad.length) throw new Error(`--only: unknown part(s) ${bad.join(', ')}; parts are ${PARTS.join(', ')}`);
      only = want as Part[];
    } else if (a === '--help' || a === '-h') {
      console.log(`npm run bench [-- --check] [--only ${PARTS.join(',')}] [--runs N (default 12)]`);
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  return { check, runs, only };
}

interface Results {
  date: string;
  machine: { os: string; cpu: string; cores: number; node: string; chromium?: string; loadAverageAtStart: number[]; loadAverageAtEnd?: number[] };
  runs: number;
  bundle?: { panel: BundleFigures; floor: BundleFigures; plain: BundleFigures; chunks: ChunkInfo[] };
  load?: LoadFigures;
  lookup?: LookupFigures;
  tasks?: TaskFigures[];
  memory?: MemoryFigures;
  proxy?: ProxyFigures;
  rss?: IdleRssFigures;
  audit?: AuditLoadFigures;
  follow?: FollowFigures;
  events?: EventFigures;
  budgets?: Row[];
  /** Seconds per part (memory and tasks run side by side) and in all. */
  durationsS: Record<string, number>;
  durationS?: number;
}

/** One limit checked: `value op limit`. */
interface Check {
  name: string;
  value: number;
  limit: number;
  op: '≤' | '=';
}
/** A row of the budget table: what is shown, and the checks behind its verdict. */
interface Row {
  measure: string;
  panel: string;
  floor: string;
  plain?: string;
  value: string;
  budget: string;
  checks: Check[];
}

const log = (s: string) => console.error(s);
const kB = (b: number) => `${(b / 1024).toFixed(1)} kB`;
const ms = (x: number) => `${x.toFixed(0)} ms`;
const x2 = (r: number) => `${r.toFixed(2)}×`;
const pct = (p: number) => `${p >= 0 ? '+' : ''}${p.toFixed(1)} %`;
const passes = (c: Check) => (c.op === '=' ? c.value === c.limit : c.value <= c.limit);
const verdict = (r: Row) => (r.checks.length === 0 ? (r.budget === '' ? '–' : 'not measured') : r.checks.every(passes) ? 'pass' : '**miss**');
/** "2.17× floor · 1.05× plain" */
const both = (floor: number, plain: number) => `${x2(floor)} floor · ${x2(plain)} plain`;

function table(title: string, head: string[], rows: (string | number)[][], leftCols = [0]) {
  const cells = [head, ...rows.map((r) => r.map(String))];
  const widths = head.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => `| ${r.map((c, i) => (leftCols.includes(i) ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(' | ')} |`;
  console.log(`\n${title}\n`);
  console.log(line(cells[0] ?? []));
  console.log(`|${widths.map((w, i) => (leftCols.includes(i) ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
  for (const r of cells.slice(1)) console.log(line(r));
}

/** Issue 15's budgets, as the rows of the table that goes into bench/README.md. */
function budgetRows(r: Results): Row[] {
  const rows: Row[] = [];
  const check = (name: string, value: number, limit: number, op: Check['op'] = '≤'): Check => ({ name, value: round(value, 3), limit, op });
  if (r.bundle) {
    const { panel, floor, plain } = r.bundle;
    // [which, limit × floor, limit × plain]
    for (const [which, toFloor, toPlain] of [['initial', 2.4, 0.8], ['total', 3.0, undefined]] as const) {
      const f = panel[which].gzip / floor[which].gzip;
      const p = panel[which].gzip / plain[which].gzip;
      rows.push({
        measure: `${which} JS + CSS, gzip`,
        panel: kB(panel[which].gzip),
        floor: kB(floor[which].gzip),
        plain: kB(plain[which].gzip),
        value: both(f, p),
        budget: `≤ ${toFloor.toFixed(1)}× floor${toPlain ? `, ≤ ${toPlain.toFixed(1)}× plain` : ''}`,
        checks: [
          check(`${which} JS + CSS gzip / floor`, f, toFloor),
          ...(toPlain ? [check(`${which} JS + CSS gzip / plain`, p, toPlain)] : []),
        ],
      });
    }
  }
  if (r.load) {
    const l = r.load;
    const n = l.cold.ratio.floor.button.n;
    const cpu = `${l.cpuRate}× CPU, median of ${n}`;
    const loadRow = (measure: string, v: 'cold' | 'warm', k: 'button' | 'lcp', limit: number): Row => {
      const ratios = l[v].ratio;
      const f = v === 'cold' ? l.cold.ratio.floor[k] : ratios.floor.button;
      const p = v === 'cold' ? l.cold.ratio.plain[k] : ratios.plain.button;
      const at = (site: 'panel' | 'floor' | 'plain') => ms(v === 'cold' ? l.cold[site][k].median : l.warm[site].button.median);
      return {
        measure,
        panel: at('panel'),
        floor: at('floor'),
        plain: at('plain'),
        value: both(f.median, p.median),
        budget: `≤ ${limit.toFixed(1)}× floor`,
        checks: [check(`${measure.split(',')[0]} / floor`, f.median, limit)],
      };
    };
    rows.push(
      loadRow(`cold load: "Look up" visible, ${cpu}`, 'cold', 'button', 1.2),
      loadRow(`cold load: LCP, ${cpu}`, 'cold', 'lcp', 1.2),
      {
        measure: `interactive: a lookup pressed as soon as "Look up" shows, answered in place (${l.interactive.panel.pageLoads}/${n} runs loaded a page), ${cpu}`,
        panel: ms(l.interactive.panel.interactive.median),
        floor: '',
        plain: `${ms(l.interactive.plain.button.median)} "Look up" visible (its own interactive: ${ms(l.interactive.plain.interactive.median)})`,
        value: `${x2(l.interactive.ratioToPlainButton.median)} plain's "Look up" visible`,
        budget: '≤ 1.0× plain',
        checks: [check('interactive / plain\'s "Look up" visible', l.interactive.ratioToPlainButton.median, 1.0)],
      },
      {
        // Not a budget of issue 22: what the interactive row cannot show while every press comes before the scripts run.
        measure: `cold: "Look up" taken by React (a press from then on is the SPA's), ${cpu}`,
        panel: ms(l.cold.panel.ready.median),
        floor: ms(l.cold.floor.ready.median),
        plain: `${ms(l.cold.plain.button.median)} ("Look up" visible)`,
        value: `${x2(l.interactive.readyToPlainButton.median)} plain's "Look up" visible`,
        budget: '',
        checks: [],
      },
      loadRow(`warm load: "Look up" visible, ${cpu}`, 'warm', 'button', 1.2),
      {
        measure: `deep link, cold, ${cpu}, mock ${l.deepLink.latencyMs} ms a round trip: the card shows the current speed profile`,
        panel: ms(l.deepLink.profile.median),
        floor: '',
        plain: `${ms(l.cold.plain.button.median)} ("Look up" visible)`,
        value: `${x2(l.deepLink.ratioToPlainButton.median)} plain's "Look up" visible`,
        budget: '',
        checks: [],
      },
    );
  }
  if (r.follow) {
    const f = r.follow;
    rows.push(
      {
        measure: `the server follows a change, no browser: task end in Katapult → audit record ended (p50 of ${f.changes}; p90 ${ms(f.endToRecord.p90)})`,
        panel: ms(f.endToRecord.p50),
        floor: '',
        value: ms(f.endToRecord.p50),
        budget: '≤ one follow interval (1000 ms)',
        checks: [check('task end → record ended p50 (ms)', f.endToRecord.p50, 1000)],
      },
      {
        measure: 'Katapult task requests per task: 10 viewers / 1 viewer',
        panel: `${f.taskRequests.tenViewers} / ${f.taskRequests.oneViewer}`,
        floor: '',
        value: x2(f.taskRequests.ratio),
        budget: '≤ 1.1×',
        checks: [check('task requests 10 viewers / 1 viewer', f.taskRequests.ratio, 1.1)],
      },
    );
  }
  if (r.events) {
    const e = r.events;
    rows.push(
      {
        measure: `a colleague's change accepted on server A → shown on bob's panel on server B (PostgreSQL), p50 of ${e.onScreen.patchOnAToShownOnBMs.n}`,
        panel: ms(e.onScreen.patchOnAToShownOnBMs.p50),
        floor: '',
        value: ms(e.onScreen.patchOnAToShownOnBMs.p50),
        budget: '≤ 300 ms',
        checks: [check('colleague change → shown p50 (ms)', e.onScreen.patchOnAToShownOnBMs.p50, 300)],
      },
      {
        measure: `${e.fanOut.streams} open event streams: server RSS over idle`,
        panel: `${e.fanOut.rssMb.withStreams} MB (idle ${e.fanOut.rssMb.idle} MB)`,
        floor: '',
        value: `${e.fanOut.rssMb.overIdle} MB`,
        budget: '≤ +30 MB',
        checks: [check('RSS over idle with streams (MB)', e.fanOut.rssMb.overIdle, 30)],
      },
      {
        measure: `event fan-out to ${e.fanOut.streams} streams, first to last stream per change, p99 of ${e.fanOut.firstToLastStreamMs.n} (PATCH sent → event: p50 ${ms(e.fanOut.patchSentToEventMs.p50)}, p99 ${ms(e.fanOut.patchSentToEventMs.p99)})`,
        panel: ms(e.fanOut.firstToLastStreamMs.p99),
        floor: '',
        value: ms(e.fanOut.firstToLastStreamMs.p99),
        budget: '≤ 100 ms',
        checks: [check('fan-out p99 (ms)', e.fanOut.firstToLastStreamMs.p99, 100)],
      },
    );
  }
  if (r.lookup) {
    const l = r.lookup;
    rows.push(
      {
        measure: `lookup: answer in / frame painting the card done, ms after the press (median of ${l.cardMs.n})`,
        panel: `${ms(l.answerInMs.median)} / ${ms(l.frameDoneMs.median)}`,
        floor: '',
        value: `${ms(l.answerToFrameDoneMs.median)} after the answer`,
        budget: '≤ 50 ms',
        checks: [check('lookup: frame painting the card done after the answer (ms)', l.answerToFrameDoneMs.median, 50)],
      },
      {
        measure: `lookup: current speed profile shown (mock ${l.latencyMs} ms a round trip)`,
        panel: ms(l.profileMs.median),
        floor: '',
        value: `${l.profileRoundTrips.median.toFixed(2)} round trips`,
        budget: '≤ 2.2',
        checks: [check('lookup: current profile (round trips)', l.profileRoundTrips.median, 2.2)],
      },
      {
        measure: `lookup: the profile list ready (combobox "Speed profile" enabled, every profile in${l.listIncomplete.length ? `; **incomplete in ${l.listIncomplete.length} runs**` : ''})`,
        panel: ms(l.listReadyMs.median),
        floor: '',
        value: `${l.listReadyRoundTrips.median.toFixed(2)} round trips`,
        budget: '≤ 3.2',
        checks: [check('lookup: profile list ready (round trips)', l.listReadyRoundTrips.median, 3.2), check('lookup: runs whose list lacked profiles', l.listIncomplete.length, 0, '=')],
      },
    );
  }
  if (r.tasks?.length) {
    const t = r.tasks;
    const each = (f: (x: TaskFigures) => string) => t.map(f).join(' / ');
    const s = (x: TaskFigures) => `${x.durationMs / 1000} s task`;
    rows.push(
      {
        measure: `tasks ${each((x) => `${x.durationMs / 1000} s`)}: the end shown after it happened`,
        panel: each((x) => ms(x.detectionLagMs)),
        floor: '',
        value: '',
        budget: `≤ ${each((x) => `${x.durationMs >= 60_000 ? 5 : 1} s`)}`,
        checks: t.map((x) => check(`${s(x)}: detection lag (ms)`, x.detectionLagMs, x.durationMs >= 60_000 ? 5000 : 1000)),
      },
      {
        measure: 'tasks: task requests per second',
        panel: each((x) => x.requestsPerSecond.toFixed(2)),
        floor: '',
        value: '',
        budget: '≤ 1',
        checks: t.map((x) => check(`${s(x)}: task requests per second`, x.requestsPerSecond, 1)),
      },
      {
        measure: 'tasks: requests after the end',
        panel: each((x) => String(x.requestsAfterEnd)),
        floor: '',
        value: '',
        budget: '0',
        checks: t.map((x) => check(`${s(x)}: task requests after the end`, x.requestsAfterEnd, 0, '=')),
      },
    );
  }
  if (r.memory) {
    const m = r.memory;
    const p = (n: number) => m.points.find((x) => x.lookups === n);
    const data = (n: number) => { const x = p(n); return x ? x.used - x.jitCode : Number.NaN; };
    rows.push(
      {
        measure: "JS heap without V8's compiled code, 10 → 200 lookups",
        panel: `${kB(data(10))} → ${kB(data(200))}`,
        floor: '',
        value: pct(m.dataGrowthPercent10to200),
        budget: '≤ 3 %',
        checks: [check('heap without compiled code, 10 → 200 lookups (%)', m.dataGrowthPercent10to200, 3)],
      },
      {
        measure: 'whole JS heap, 600 → 1,000 lookups',
        panel: `${kB(p(600)?.used ?? Number.NaN)} → ${kB(p(1000)?.used ?? Number.NaN)}`,
        floor: '',
        value: pct(m.growthPercent600to1000),
        budget: '≤ 2 %',
        checks: [check('whole heap, 600 → 1,000 lookups (%)', m.growthPercent600to1000, 2)],
      },
    );
  }
  if (r.proxy) {
    const at50 = r.proxy.rows.find((x) => x.connections === 50);
    const at200 = r.proxy.rows.find((x) => x.connections === 200);
    if (at50) {
      rows.push({
        measure: `proxy: added p50 at 50 connections (pairs: ${at50.pairsP50OverheadMs.join(', ')} ms)`,
        panel: ms(at50.p50OverheadMs),
        floor: '',
        value: `p99 +${ms(at50.p99OverheadMs)}`,
        budget: '≤ 2 ms',
        checks: [check('proxy: added p50 at 50 connections (ms)', at50.p50OverheadMs, 2)],
      });
    }
    if (at200) {
      const errors = at200.proxied.errors + at200.proxied.timeouts + at200.proxied.non2xx;
      rows.push({
        measure: 'proxy: errors at 200 connections',
        panel: String(errors),
        floor: '',
        value: `${(at200.proxied.requests / r.proxy.secondsEach).toFixed(0)} req/s`,
        budget: '0',
        checks: [check('proxy: errors at 200 connections', errors, 0, '=')],
      });
    }
  }
  if (r.rss) {
    const x = r.rss;
    rows.push({
      measure: 'server idle RSS after a first start (no build needed)',
      panel: `${x.firstStartRssMb.toFixed(1)} MB (${x.noBuildRssMb.toFixed(1)} MB)`,
      floor: '',
      value: '',
      budget: '≤ 150 MB',
      checks: [check('idle RSS after a first start (MB)', x.firstStartRssMb, 150)],
    });
  }
  if (r.audit) {
    const x = r.audit;
    rows.push(
      {
        measure: `audit: ${x.changes} concurrent changes → records, lost, doubled`,
        panel: `${x.records}, ${x.lost}, ${x.doubled}`,
        floor: '',
        value: '',
        budget: `${x.changes}, 0, 0`,
        checks: [
          check('audit: records − changes', x.records - x.changes, 0, '='),
          check('audit: lost', x.lost, 0, '='),
          check('audit: doubled', x.doubled, 0, '='),
        ],
      },
      {
        measure: 'audit: time per recorded change p50 / p99; added p50 (SQLite)',
        panel: `${ms(x.p50Ms)} / ${ms(x.p99Ms)}`,
        floor: '',
        value: `${x.addedP50Ms.toFixed(1)} ms added`,
        budget: '≤ 5 ms',
        checks: [check('audit: added p50 (ms)', x.addedP50Ms, 5)],
      },
    );
  }
  return rows;
}

function printDetails(r: Results) {
  if (r.bundle) {
    const { panel, floor, plain } = r.bundle;
    const ratio = (a: number, b: number) => (b ? x2(a / b) : '–');
    const row = (name: string, k: 'initialJs' | 'initialCss' | 'inline' | 'initial' | 'totalJs' | 'totalCss' | 'total') => {
      const [s, f, p] = [panel[k], floor[k], plain[k]];
      return [name, kB(s.raw), kB(s.gzip), kB(s.brotli), kB(f.gzip), kB(p.gzip), ratio(s.gzip, f.gzip), ratio(s.gzip, p.gzip)];
    };
    table('Bundle (per file, gzip -9 and brotli q11; initial = what index.html loads, total = all of assets/, inline code counted in both)', ['panel', 'raw', 'gzip', 'brotli', 'floor gzip', 'plain gzip', '× floor', '× plain'], [
      row(`initial JS (${panel.initialJs.files.length} files; floor ${floor.initialJs.files.length}, plain ${plain.initialJs.files.length})`, 'initialJs'),
      row(`initial CSS (${panel.initialCss.files.length} files)`, 'initialCss'),
      row('inline in index.html', 'inline'),
      row('initial JS + CSS', 'initial'),
      row(`total JS (${panel.totalJs.files} files)`, 'totalJs'),
      row(`total CSS (${panel.totalCss.files} files)`, 'totalCss'),
      row('total JS + CSS', 'total'),
    ]);
    table('Largest chunks of the panel (share by pre-minification bytes)', ['chunk', 'initial', 'raw', 'gzip', 'biggest parts'], r.bundle.chunks.slice(0, 6).map((c) => {
      const total = c.packages.reduce((s, p) => s + p.bytes, 0) || 1;
      return [c.file, c.initial ? 'yes' : 'lazy', kB(c.raw), kB(c.gzip), c.packages.slice(0, 6).map((p) => `${p.name} ${Math.round((p.bytes / total) * 100)}%`).join(', ')];
    }), [0, 4]);
    table('The panel\'s initial chunks: largest modules (share of the chunk by pre-minification bytes; `npm run analyze` for the treemap and per-module gzip)', ['chunk', 'gzip', 'largest modules'], r.bundle.chunks.filter((c) => c.initial).map((c) => {
      const total = c.packages.reduce((s, p) => s + p.bytes, 0) || 1;
      return [c.file, kB(c.gzip), c.modules.slice(0, 5).map((m) => `${m.name} ${Math.round((m.bytes / total) * 100)}%`).join(', ')];
    }), [0, 2]);
  }
  if (r.load) {
    const l = r.load;
    type S = { median: number; max: number };
    const row = (name: string, p: S, f: S, q: S, rf: S, rq: S) => [name, ms(p.median), ms(p.max), ms(f.median), ms(q.median), x2(rf.median), x2(rf.max), x2(rq.median), x2(rq.max)];
    const c = l.cold;
    const w = l.warm;
    table(`Load at ${l.cpuRate}× CPU (${c.ratio.floor.button.n} runs, each visit kind in a new profile per site, panel, floor and plain interleaved; ms from navigation start; V8 code cache before the warm visit: panel ≥ ${kB(l.codeCacheBytes.panel)}, floor ≥ ${kB(l.codeCacheBytes.floor)}, plain ≥ ${kB(l.codeCacheBytes.plain)})`, ['', 'panel median', 'panel max', 'floor median', 'plain median', '× floor median', '× floor max', '× plain median', '× plain max'], [
      row('cold: "Look up" visible', c.panel.button, c.floor.button, c.plain.button, c.ratio.floor.button, c.ratio.plain.button),
      row('cold: "Look up" taken by React (a press is the SPA\'s)', c.panel.ready, c.floor.ready, c.plain.ready, c.ratio.floor.ready, c.ratio.plain.ready),
      row('cold: LCP', c.panel.lcp, c.floor.lcp, c.plain.lcp, c.ratio.floor.lcp, c.ratio.plain.lcp),
      row('warm (3rd visit): "Look up" visible', w.panel.button, w.floor.button, w.plain.button, w.ratio.floor.button, w.ratio.plain.button),
    ]);
    const i = l.interactive;
    table(`Interactive at ${l.cpuRate}× CPU (cold, a new profile; the lookup typed and "Look up" pressed in the page as soon as it shows; ms from the first navigation's start)`, ['', 'panel median', 'panel max', 'plain median', 'plain max'], [
      ['"Look up" visible', ms(i.panel.button.median), ms(i.panel.button.max), ms(i.plain.button.median), ms(i.plain.button.max)],
      ['interactive (the press answered in place; else the answer)', ms(i.panel.interactive.median), ms(i.panel.interactive.max), ms(i.plain.interactive.median), ms(i.plain.interactive.max)],
      ['the answer shows (region "Network interface" with the MAC)', ms(i.panel.answered.median), ms(i.panel.answered.max), ms(i.plain.answered.median), ms(i.plain.answered.max)],
      ['runs where the press loaded a page', `${i.panel.pageLoads}`, '', `${i.plain.pageLoads}`, ''],
      [`interactive ÷ plain's "Look up" visible (per run)`, x2(i.ratioToPlainButton.median), x2(i.ratioToPlainButton.max), '', ''],
      [`deep link, mock ${l.deepLink.latencyMs} ms: the card shows the current profile`, ms(l.deepLink.profile.median), ms(l.deepLink.profile.max), `÷ plain's "Look up": ${x2(l.deepLink.ratioToPlainButton.median)}`, ''],
    ]);
  }
  if (r.lookup) {
    const l = r.lookup;
    table(`Lookup (1× CPU; mock answers every request after ${l.latencyMs} ms; ${l.cardMs.n} fresh contexts)`, ['ms after the press on "Look up"', 'median', 'max'], [
      ['the lookup request leaves (fetch start)', ms(l.sentMs.median), ms(l.sentMs.max)],
      ['its answer is in (response end)', ms(l.answerInMs.median), ms(l.answerInMs.max)],
      ['the card shows MAC and IPs (in the DOM)', ms(l.cardMs.median), ms(l.cardMs.max)],
      ['the frame painting the card is done', ms(l.frameDoneMs.median), ms(l.frameDoneMs.max)],
      ['the current speed profile shows', ms(l.profileMs.median), ms(l.profileMs.max)],
      [`the profile list is ready (combobox enabled, last page in; ${l.profileCount} profiles)`, ms(l.listReadyMs.median), ms(l.listReadyMs.max)],
      ['answer in → card in the DOM', ms(l.answerToCardMs.median), ms(l.answerToCardMs.max)],
      ['answer in → frame done', ms(l.answerToFrameDoneMs.median), ms(l.answerToFrameDoneMs.max)],
    ]);
    console.log(`\nFirst run's API requests, ms after the press (as the mock received them): ${l.waterfall.map((w) => `${w.atMs} ${w.method} ${w.endpoint.split('/').slice(-2).join('/')}${w.query.page ? ` p${w.query.page}` : ''}`).join(' · ')}`);
  }
  if (r.tasks) {
    table('Task following (mock latency 0 ms)', ['task', 'task requests', 'per second', 'end shown after it happened', 'requests after the end'], r.tasks.map((t) => [
      `${t.durationMs / 1000} s`, t.taskRequests, t.requestsPerSecond.toFixed(2), ms(t.detectionLagMs), `${t.requestsAfterEnd} (in ${t.quietMs / 1000} s)`,
    ]));
  }
  if (r.memory) {
    const m = r.memory;
    table("Memory (V8's used heap after forced GC; one page, mock latency 0 ms, lookups alternating between two interfaces)", ['after … lookups', 'JS heap', "of which V8's compiled code", 'the rest (the page\'s data)'], m.points.map((p) => [
      p.lookups, kB(p.used), kB(p.jitCode), kB(p.used - p.jitCode),
    ]));
    console.log(`\nWhole heap 10 → 200 lookups: ${pct(m.growthPercent10to200)} (no budget; compiled code grows while functions get hot).`);
  }
  if (r.proxy) {
    const s = r.proxy;
    table(`Proxy (stand-in upstream answers after ${s.upstreamDelayMs} ms; autocannon ${s.secondsEach} s each, ${s.pairs} direct/proxied pairs alternated, the median pair shown; errors of all proxied runs)`, ['connections', 'direct p50', 'direct p99', 'proxy p50', 'proxy p99', 'added p50', 'added p99', 'added p50 per pair', 'proxy req/s', 'proxy errors'], s.rows.map((x) => [
      x.connections, ms(x.direct.p50), ms(x.direct.p99), ms(x.proxied.p50), ms(x.proxied.p99), ms(x.p50OverheadMs), ms(x.p99OverheadMs),
      `${x.pairsP50OverheadMs.join(', ')} ms`,
      (x.proxied.requests / s.secondsEach).toFixed(0), x.proxied.errors + x.proxied.timeouts + x.proxied.non2xx,
    ]));
  }
}

function print(r: Results) {
  console.log(`\nKatapult interface panel bench · ${r.date} · ${r.machine.cpu} (${r.machine.cores} cores) · node ${r.machine.node}${r.machine.chromium ? ` · Chromium ${r.machine.chromium}` : ''}`);
  console.log(`Load average (1, 5, 15 min) at start ${r.machine.loadAverageAtStart.join(', ')}, at end ${r.machine.loadAverageAtEnd?.join(', ') ?? '?'}`);
  printDetails(r);
  const rows = r.budgets ?? [];
  if (rows.length) {
    table('Budgets (issues 15, 21, 22; × floor = bench/reference, × plain = bench/reference-plain)', ['measure', 'panel', 'floor', 'plain', 'value', 'budget', 'result'], rows.map((b) => [
      b.measure, b.panel, b.floor, b.plain ?? '', b.value, b.budget, verdict(b),
    ]), [0, 4]);
  }
  const parts = Object.entries(r.durationsS).map(([k, v]) => `${k} ${v} s`).join(', ');
  console.log(`\nRun time: ${r.durationS} s in all (${parts}).`);
}

async function main() {
  const started = Date.now();
  const { check, runs, only } = parseArgs(process.argv.slice(2));
  const want = (p: Part) => only.includes(p);
  const r: Results = {
    date: new Date().toISOString(),
    machine: { os: `${platform()} ${release()}`, cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, node: process.version, loadAverageAtStart: loadavg().map((x) => round(x)) },
    runs,
    durationsS: {},
  };
  let partStarted = Date.now();
  const done = (part: string) => {
    r.durationsS[part] = Math.round((Date.now() - partStarted) / 1000);
    partStarted = Date.now();
  };
  const needBrowser = want('load') || want('lookup') || want('tasks') || want('memory');
  const needPanel = needBrowser || want('bundle');
  const needFloor = want('bundle') || want('load');

  let chunks: ChunkInfo[] = [];
  if (needPanel) {
    log(`Building the panel into ${PANEL_DIST_DIR}/ …`);
    chunks = await viteBuild(ROOT, ROOT, join(ROOT, PANEL_DIST_DIR));
    // What `npm run build` ships: the first screen prerendered into index.html.
    const { prerenderPage } = await import('../scripts/prerender.ts');
    await prerenderPage(ROOT, PANEL_DIST_DIR);
  }
  if (needFloor) {
    log('Building the floor into bench/reference/dist/ and the plain reference into bench/reference-plain/dist/ …');
    await viteBuild(ROOT, FLOOR_ROOT, FLOOR_DIST);
    await viteBuild(ROOT, PLAIN_ROOT, PLAIN_DIST);
  }
  if (needPanel || needFloor) done('build');
  if (want('bundle')) {
    r.bundle = { panel: measureDist(join(ROOT, PANEL_DIST_DIR)), floor: measureDist(FLOOR_DIST), plain: measureDist(PLAIN_DIST), chunks };
    done('bundle');
  }
  // Sent as the panel's build is: precompressed when the panel's is (after sizing, which reads assets/).
  if (needFloor && hasPrecompressed(join(ROOT, PANEL_DIST_DIR))) {
    precompress(FLOOR_DIST);
    precompress(PLAIN_DIST);
  }

  if (needBrowser) {
    const panel = await startPanel(ROOT, PANEL_DIST_DIR);
    const floor = want('load') ? await startFloor(FLOOR_DIST) : undefined;
    const plain = want('load') ? await startFloor(PLAIN_DIST, panel.url) : undefined;
    const browser = await launch();
    r.machine.chromium = browser.version();
    try {
      if (want('load') && floor && plain) {
        log(`Load: ${runs} runs × (panel, floor, plain) × (cold, primed, warm visit), then interactive (panel, plain) and deep link (panel), at ${LOAD_CPU_RATE}× CPU …`);
        r.load = await measureLoad({ panel: panel.url, floor: floor.url, plain: plain.url }, runs, LOAD_CPU_RATE, log);
        done('load');
      }
      if (want('lookup')) {
        log(`Lookup: ${runs} fresh contexts …`);
        r.lookup = await measureLookups(browser, panel.url, runs, log);
        done('lookup');
      }
      // The tasks mostly wait: they run in their own contexts beside the memory part, which is not
      // a timing (the timed parts above run alone).
      const tasks = want('tasks')
        ? Promise.all(TASK_DURATIONS.map((d) => followTask(browser, panel.url, d).then((t) => (log(`  task ${d / 1000} s followed`), t))))
        : undefined;
      tasks?.catch(() => {});
      if (want('memory')) {
        log('Memory: 1,000 lookups in one page …');
        r.memory = await measureMemory(browser, panel.url, log);
      }
      if (tasks) {
        log('Waiting for the task runs …');
        r.tasks = await tasks;
      }
      if (want('memory') || want('tasks')) done([want('memory') && 'memory', want('tasks') && 'tasks'].filter(Boolean).join(' and '));
    } finally {
      await browser.close();
      await panel.close();
      await floor?.close();
      await plain?.close();
    }
  }

  if (want('proxy')) {
    log('Proxy: autocannon, direct and through the proxy …');
    r.proxy = await measureProxy(log);
    done('proxy');
  }
  if (want('rss')) {
    log('Idle RSS …');
    // Loaded only when asked: these start the panel's server, SQLite included.
    const { idleRss } = await import('./idle-rss.ts');
    r.rss = await idleRss();
    done('rss');
  }
  if (want('audit')) {
    log('Audit log under concurrent changes …');
    const { auditLoad } = await import('./audit-load.ts');
    r.audit = await auditLoad();
    done('audit');
  }

  if (want('follow')) {
    log('Follow: the server follows changes with no browser, and 1 vs 10 viewers …');
    const { measureFollow } = await import('./follow.ts');
    r.follow = await measureFollow(10, log);
    done('follow');
  }
  if (want('events')) {
    log('Events: fan-out to 200 streams, across two servers, on screen …');
    const { measureEvents } = await import('./events.ts');
    r.events = await measureEvents(200, 30);
    done('events');
  }

  r.machine.loadAverageAtEnd = loadavg().map((x) => round(x));
  r.budgets = budgetRows(r);
  r.durationS = Math.round((Date.now() - started) / 1000);
  print(r);
  writeFileSync(join(ROOT, 'bench', 'results.json'), `${JSON.stringify(r, null, 2)}\n`);
  console.log('Wrote bench/results.json.');
  const missed = r.budgets.flatMap((b) => b.checks.filter((c) => !passes(c)));
  if (check && missed.length) {
    console.error(`\n--check: ${missed.length} budget(s) missed:\n${missed.map((c) => `  - ${c.name}: ${c.value}, budget ${c.op} ${c.limit}`).join('\n')}`);
    process.exit(1);
  }
  process.exit(0);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(2);
});
