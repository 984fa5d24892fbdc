/**
 * What the card's first render is made of (issue 30 item 7): the panel built unminified with React's
 * profiling build, one lookup per fresh context as bench/lookup.ts times it, at 1× and 4× CPU, with
 * three views of the time from the lookup's answer to the frame that paints the card:
 * - React's own component track (the profiling build logs every component render through
 *   console.timeStamp, as DevTools' "Components ⚛" track shows it): self time per component;
 * - a Chromium trace of the page's main thread: self time per event (script, style, layout, paint);
 * - V8's sampling CPU profile: self time per function.
 *
 *   npx tsx bench/profile-lookup.ts [--runs 3] [--cpu 1,4]
 */
import type { CDPSession, Page } from '@playwright/test';
import { join } from 'node:path';
import { DEMO } from '../mock/seed.ts';
import { launch, newMock } from './browser.ts';
import { lookupDone, TARGETS, watch, type LookupTimes } from './lookup.ts';
import { startPanel } from './servers.ts';
import { median } from './stats.ts';

const ROOT = join(import.meta.dirname, '..');
const DIST = 'dist-profile';
const LATENCY_MS = 100;

interface Interval {
  name: string;
  start: number;
  end: number;
  track: string;
}

declare global {
  interface Window {
    __reactTimings?: Interval[];
  }
}

/** Runs in the page before its scripts: keeps what React's profiling build logs for its performance tracks. */
function recordReactTimings() {
  const timings: Interval[] = [];
  window.__reactTimings = timings;
  // React times components (ProfileMode) only when it sees a DevTools hook at startup: a do-nothing one.
  Object.assign(window, {
    __REACT_DEVTOOLS_GLOBAL_HOOK__: { supportsFiber: true, isDisabled: false, renderers: new Map(), inject: () => 1, checkDCE: () => {}, onCommitFiberRoot: () => {}, onCommitFiberUnmount: () => {}, onPostCommitFiberRoot: () => {}, onScheduleFiberRoot: () => {} },
  });
  const original = console.timeStamp.bind(console);
  console.timeStamp = ((name: string, start?: number, end?: number, track?: string, ...rest: unknown[]) => {
    if (typeof start === 'number' && typeof end === 'number') timings.push({ name, start, end, track: String(track ?? '') });
    (original as (...a: unknown[]) => void)(name, start, end, track, ...rest);
  }) as typeof console.timeStamp;
}

/** Self time per name of nested intervals (a child's time is not its parent's). */
function selfTimes(intervals: { name: string; start: number; end: number }[]): Map<string, { self: number; count: number }> {
  const sorted = [...intervals].sort((a, b) => a.start - b.start || b.end - a.end);
  const out = new Map<string, { self: number; count: number }>();
  const stack: { name: string; end: number; self: number }[] = [];
  const pop = () => {
    const top = stack.pop();
    if (!top) return;
    const o = out.get(top.name) ?? { self: 0, count: 0 };
    o.self += top.self;
    o.count += 1;
    out.set(top.name, o);
  };
  for (const iv of sorted) {
    while (stack.length && (stack[stack.length - 1]?.end ?? 0) <= iv.start) pop();
    const parent = stack[stack.length - 1];
    if (parent) parent.self -= Math.min(iv.end, parent.end) - iv.start;
    stack.push({ name: iv.name, end: iv.end, self: iv.end - iv.start });
  }
  while (stack.length) pop();
  return out;
}

const top = (m: Map<string, { self: number; count: number }>, n: number) =>
  [...m].sort((a, b) => b[1].self - a[1].self).slice(0, n);

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { name?: string };
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

interface RunProfile {
  times: LookupTimes;
  /** From the press: React's render and commit phases, the API requests (sent → answer in), and main-thread tasks over 3 ms. */
  timeline: { at: number; end: number; what: string }[];
  react: Map<string, { self: number; count: number }>;
  scheduler: Map<string, { self: number; count: number }>;
  trace: Map<string, { self: number; count: number }>;
  cpu: Map<string, { self: number; count: number }>;
}

async function profileOnce(page: Page, cdp: CDPSession, url: string, run: number, cpuRate: number): Promise<RunProfile> {
  const target = TARGETS[run % 2] ?? TARGETS[0];
  const browser = page.context().browser();
  if (!browser) throw new Error('no browser');
  await page.goto(url);
  const button = page.getByRole('button', { name: 'Look up', exact: true });
  await button.waitFor();
  await page.getByRole('textbox', { name: 'Virtual machine', exact: true }).fill(target.vm);
  await page.getByRole('textbox', { name: 'Network', exact: true }).fill(DEMO.network);
  await page.waitForTimeout(3 * LATENCY_MS);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: cpuRate });
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink.user_timing', 'v8.execute', 'toplevel'] });
  await cdp.send('Profiler.start');
  // The trace's clock and the page's performance.now(), lined up by one mark.
  const markAt = await page.evaluate(() => performance.mark('profile-sync').startTime);
  await watch(page, target, { resourceTiming: true, click: false, list: true });
  await button.click();
  const times = await lookupDone(page);
  const { profile } = (await cdp.send('Profiler.stop')) as { profile: CpuProfile };
  const trace = JSON.parse((await browser.stopTracing()).toString('utf8')) as { traceEvents: TraceEvent[] };
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  const timings = await page.evaluate(() => window.__reactTimings ?? []);

  // The window: from the answer in to the frame painting the card done, in performance.now() ms.
  const from = times.origin + (times.answered ?? 0);
  const to = times.origin + times.frameDone;
  const inWindow = timings.filter((t) => t.end > from && t.start < to).map((t) => ({ ...t, start: Math.max(t.start, from), end: Math.min(t.end, to) }));
  const react = selfTimes(inWindow.filter((t) => t.track.startsWith('Components')));
  const scheduler = selfTimes(inWindow.filter((t) => !t.track.startsWith('Components')).map((t) => ({ ...t, name: `${t.track}: ${t.name}` })));

  const sync = trace.traceEvents.find((e) => e.name === 'profile-sync');
  if (!sync) throw new Error('no sync mark in the trace');
  const toTraceUs = (ms: number) => sync.ts + (ms - markAt) * 1000;
  const [fromUs, toUs] = [toTraceUs(from), toTraceUs(to)];
  const mainTid = trace.traceEvents.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain' && e.pid === sync.pid)?.tid;
  const main = trace.traceEvents.filter((e) => e.ph === 'X' && e.pid === sync.pid && e.tid === mainTid && e.dur !== undefined && e.ts + (e.dur ?? 0) > fromUs && e.ts < toUs);
  const traceSelf = selfTimes(main.map((e) => ({ name: e.name, start: Math.max(e.ts, fromUs) / 1000, end: Math.min(e.ts + (e.dur ?? 0), toUs) / 1000 })));

  const cpu = new Map<string, { self: number; count: number }>();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i] ?? 0;
    t += dt;
    const next = profile.timeDeltas[i + 1] ?? 0;
    if (t < fromUs || t > toUs) continue;
    const node = byId.get(profile.samples[i] ?? -1);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const key = `${functionName || '(anonymous)'} ${url ? `${url.split('/').pop()}:${lineNumber + 1}` : ''}`.trim();
    const o = cpu.get(key) ?? { self: 0, count: 0 };
    o.self += next / 1000;
    o.count += 1;
    cpu.set(key, o);
  }
  const timeline = [
    ...timings.filter((x) => !x.track.startsWith('Components') && x.end - x.start >= 0.5).map((x) => ({ at: x.start - times.origin, end: x.end - times.origin, what: `React ${x.track}: ${x.name}` })),
    ...(await page.evaluate(() => performance.getEntriesByType('resource').map((e) => ({ name: e.name, start: e.startTime, end: (e as PerformanceResourceTiming).responseEnd }))))
      .filter((e) => e.start >= times.origin - 1)
      .map((e) => ({ at: e.start - times.origin, end: e.end - times.origin, what: `fetch ${e.name.replace(/^https?:\/\/[^/]+/, '').replace(/\?.*page=(\d+).*/, ' p$1').replace(/\?.*/, '')}` })),
    ...trace.traceEvents
      .filter((e) => e.name === 'RunTask' && e.pid === sync.pid && e.tid === mainTid && (e.dur ?? 0) >= 3000)
      .map((e) => ({ at: (e.ts - sync.ts) / 1000 + markAt - times.origin, end: (e.ts + (e.dur ?? 0) - sync.ts) / 1000 + markAt - times.origin, what: 'main-thread task' })),
  ]
    .filter((x) => x.at >= -1 && x.at <= times.frameDone + 400)
    .sort((a, b) => a.at - b.at);
  return { times, timeline, react, scheduler, trace: traceSelf, cpu };
}

function merge(runs: RunProfile[], pick: (r: RunProfile) => Map<string, { self: number; count: number }>) {
  const names = new Set(runs.flatMap((r) => [...pick(r).keys()]));
  return new Map([...names].map((n) => [n, { self: median(runs.map((r) => pick(r).get(n)?.self ?? 0)), count: median(runs.map((r) => pick(r).get(n)?.count ?? 0)) }]));
}

const ms = (x: number) => `${x.toFixed(1)} ms`;

function print(title: string, m: Map<string, { self: number; count: number }>, n: number) {
  console.log(`\n${title}`);
  for (const [name, v] of top(m, n)) console.log(`  ${ms(v.self).padStart(9)}  ×${String(v.count).padEnd(4)} ${name}`);
}

async function main() {
  const args = process.argv.slice(2);
  const arg = (k: string) => {
    const i = args.indexOf(k);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const runs = Number(arg('--runs') ?? 3);
  const rates = (arg('--cpu') ?? '1,4').split(',').map(Number);
  const { build } = await import('vite');
  // The project's own build, unminified (readable names in the profile) and with React's profiling
  // build of react-dom, whose component track is what the React Profiler shows.
  await build({
    configFile: join(ROOT, 'vite.config.ts'),
    root: ROOT,
    logLevel: 'warn',
    resolve: { alias: [{ find: /^react-dom\/client$/, replacement: 'react-dom/profiling' }] },
    build: { outDir: join(ROOT, DIST), emptyOutDir: true, minify: false },
  });
  const { prerenderPage } = await import('../scripts/prerender.ts');
  await prerenderPage(ROOT, DIST);
  const panel = await startPanel(ROOT, DIST);
  const browser = await launch();
  try {
    for (const rate of rates) {
      const profiles: RunProfile[] = [];
      for (let i = 0; i < runs; i++) {
        const mock = await newMock(panel.url, { latencyMs: LATENCY_MS });
        const context = await mock.context(browser);
        await context.addInitScript(recordReactTimings);
        try {
          const page = await context.newPage();
          const cdp = await context.newCDPSession(page);
          profiles.push(await profileOnce(page, cdp, `${panel.url}/`, i, rate));
        } finally {
          await context.close();
        }
      }
      const t = (f: (x: LookupTimes) => number) => ms(median(profiles.map((p) => f(p.times))));
      console.log(`\n=== ${rate}× CPU, ${runs} runs (medians; mock ${LATENCY_MS} ms a round trip) ===`);
      console.log(`answer in ${t((x) => x.answered ?? Number.NaN)}, card in the DOM ${t((x) => x.card)}, frame done ${t((x) => x.frameDone)}, answer → frame done ${t((x) => x.frameDone - (x.answered ?? Number.NaN))}, profile ${t((x) => x.profile)}, list ${t((x) => x.listEnabled ?? Number.NaN)}`);
      const first = profiles[0];
      if (first) {
        console.log(`\nFirst run's timeline, ms after the press (answer in ${ms(first.times.answered ?? Number.NaN)}, frame done ${ms(first.times.frameDone)}):`);
        for (const x of first.timeline) console.log(`  ${x.at.toFixed(1).padStart(7)} → ${x.end.toFixed(1).padStart(7)}  ${x.what}`);
      }
      print('React (profiling build): self time per component, answer → frame done', merge(profiles, (p) => p.react), 30);
      print('React scheduler track (render / commit phases)', merge(profiles, (p) => p.scheduler), 12);
      print('Chromium trace, main thread: self time per event', merge(profiles, (p) => p.trace), 14);
      print('V8 CPU profile: self time per function', merge(profiles, (p) => p.cpu), 40);
    }
  } finally {
    await browser.close();
    await panel.close();
  }
  process.exit(0);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(2);
});
