/**
 * Page load, panel and floor interleaved. Each run is a new Chromium profile (a temporary
 * user-data directory, so the HTTP cache and V8's code cache are on disk as for a real user) with
 * three visits in the same context, each in a new tab after the previous one closed:
 *   1. cold, measured: nothing cached;
 *   2. unmeasured: served from the HTTP cache; Chromium writes V8's code cache for the scripts;
 *   3. warm, measured: HTTP cache and V8's code cache both used.
 * Timings come from the page itself (a MutationObserver and LCP entries, performance.now), so
 * Playwright's polling adds nothing.
 */
import { chromium, type BrowserContext } from '@playwright/test';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ARGS, CHROMIUM_PATH, newMock, prepareContext } from './browser.ts';
import { summarize, type Summary } from './stats.ts';

declare global {
  interface Window {
    __load?: { button?: number; lcp: number };
  }
}

/** Installed before any page script: when button "Look up" is laid out, and the latest LCP. */
function loadProbe() {
  const state: { button?: number; lcp: number } = { lcp: 0 };
  window.__load = state;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) state.lcp = e.startTime;
  }).observe({ type: 'largest-contentful-paint', buffered: true });
  const check = () => {
    if (state.button !== undefined) return;
    const button = window.__a11y.find('button', 'Look up');
    if (button && window.__a11y.visible(button)) {
      state.button = performance.now();
      observer.disconnect();
    }
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { childList: true, subtree: true });
}

export interface LoadSample {
  /** "Look up" visible, ms from navigation start. */
  button: number;
  lcp: number;
}

async function visit(context: BrowserContext, url: string, cpuRate: number, waitForLcp: boolean): Promise<LoadSample> {
  const page = await context.newPage();
  try {
    const cdp = await context.newCDPSession(page);
    if (cpuRate !== 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: cpuRate });
    await page.addInitScript(loadProbe);
    await page.goto(url, { waitUntil: 'commit' });
    await page.waitForFunction(() => window.__load?.button !== undefined, undefined, { timeout: 60_000, polling: 50 });
    await page.waitForLoadState('load');
    if (waitForLcp) {
      // LCP is final once nothing larger paints: give the first screen time to settle.
      await page.waitForTimeout(300 * cpuRate);
      await page.waitForFunction(() => (window.__load?.lcp ?? 0) > 0, undefined, { timeout: 30_000, polling: 50 });
    }
    const r = await page.evaluate(() => ({ button: window.__load?.button ?? Number.NaN, lcp: window.__load?.lcp ?? Number.NaN }));
    await cdp.detach();
    return r;
  } finally {
    await page.close();
  }
}

const bytesUnder = (dir: string): number => {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .reduce((n, e) => n + statSync(join(e.parentPath, e.name)).size, 0);
  } catch {
    return 0;
  }
};

/**
 * Waits until Chromium's code cache directory stops growing (its writes are asynchronous); returns
 * its size. After the first visit it holds only small "seen" markers; the code comes with the second.
 */
async function codeCacheSettled(dir: string): Promise<number> {
  let last = -1;
  let stableSince = Date.now();
  const deadline = Date.now() + 5000;
  for (;;) {
    const n = bytesUnder(dir);
    if (n !== last) {
      last = n;
      stableSince = Date.now();
    } else if (Date.now() - stableSince >= 300) return n;
    if (Date.now() > deadline) return n;
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface ProfileRun {
  cold: LoadSample;
  warm: LoadSample;
  /** Bytes in the profile's V8 code cache before the warm visit (about 0 would mean none was written). */
  codeCacheBytes: number;
}

async function profileRun(url: string, cpuRate: number, prepare?: (c: BrowserContext) => Promise<void>): Promise<ProfileRun> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-profile-'));
  const context = await chromium.launchPersistentContext(dir, { executablePath: CHROMIUM_PATH, args: ARGS });
  try {
    await prepareContext(context);
    await prepare?.(context);
    // The blank tab a persistent context opens with stays open: the browser lives while it does.
    const cold = await visit(context, url, cpuRate, true);
    await visit(context, url, 1, false);
    const codeCacheBytes = await codeCacheSettled(join(dir, 'Default', 'Code Cache', 'js'));
    const warm = await visit(context, url, cpuRate, false);
    return { cold, warm, codeCacheBytes };
  } finally {
    await context.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface LoadFigures {
  cpuRate: number;
  cold: { panel: { button: Summary; lcp: Summary }; floor: { button: Summary; lcp: Summary }; ratio: { button: Summary; lcp: Summary } };
  warm: { panel: { button: Summary }; floor: { button: Summary }; ratio: { button: Summary } };
  /** Smallest size over the runs of the V8 code cache before the warm visit. */
  codeCacheBytes: { panel: number; floor: number };
  samples: { panel: ProfileRun; floor: ProfileRun }[];
}

export async function measureLoad(
  panelUrl: string,
  floorUrl: string,
  runs: number,
  cpuRate: number,
  log: (s: string) => void,
): Promise<LoadFigures> {
  const mock = await newMock(panelUrl, { latencyMs: 0 });
  const one = (which: 'panel' | 'floor') =>
    which === 'panel' ? profileRun(`${panelUrl}/`, cpuRate, (c) => mock.addCookie(c)) : profileRun(`${floorUrl}/`, cpuRate);
  // One unmeasured run of each warms the servers and the OS file cache.
  await one('panel');
  await one('floor');
  const samples: { panel: ProfileRun; floor: ProfileRun }[] = [];
  for (let i = 0; i < runs; i++) {
    const order: ('panel' | 'floor')[] = i % 2 === 0 ? ['panel', 'floor'] : ['floor', 'panel'];
    const pair: Partial<Record<'panel' | 'floor', ProfileRun>> = {};
    for (const which of order) pair[which] = await one(which);
    samples.push(pair as { panel: ProfileRun; floor: ProfileRun });
    log(`  load: run ${i + 1}/${runs}`);
  }
  const pick = (w: 'panel' | 'floor', visitKind: 'cold' | 'warm', k: keyof LoadSample) => summarize(samples.map((x) => x[w][visitKind][k]));
  const ratio = (visitKind: 'cold' | 'warm', k: keyof LoadSample) => summarize(samples.map((x) => x.panel[visitKind][k] / x.floor[visitKind][k]));
  return {
    cpuRate,
    cold: {
      panel: { button: pick('panel', 'cold', 'button'), lcp: pick('panel', 'cold', 'lcp') },
      floor: { button: pick('floor', 'cold', 'button'), lcp: pick('floor', 'cold', 'lcp') },
      ratio: { button: ratio('cold', 'button'), lcp: ratio('cold', 'lcp') },
    },
    warm: {
      panel: { button: pick('panel', 'warm', 'button') },
      floor: { button: pick('floor', 'warm', 'button') },
      ratio: { button: ratio('warm', 'button') },
    },
    codeCacheBytes: {
      panel: Math.min(...samples.map((x) => x.panel.codeCacheBytes)),
      floor: Math.min(...samples.map((x) => x.floor.codeCacheBytes)),
    },
    samples,
  };
}
