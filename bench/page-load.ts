/**
 * Page load, the panel and the two references (the floor, the plain build) interleaved. Each run is a new Chromium profile (a temporary
 * user-data directory, so the HTTP cache and V8's code cache are on disk as for a real user) with
 * three visits in the same context, each in a new tab after the previous one closed:
 *   1. cold, measured: nothing cached;
 *   2. unmeasured: served from the HTTP cache; Chromium writes V8's code cache for the scripts;
 *   3. warm, measured: HTTP cache and V8's code cache both used.
 * Two more cold visits per run, each in a profile of its own: *interactive* (panel and plain: a
 * lookup typed and pressed as soon as "Look up" shows, until the SPA answers it without a page load)
 * and *deep link* (panel: `/?vm=…&network=…`, mock at 100 ms a round trip, until the card shows
 * the current speed profile).
 * Timings come from the page itself (a MutationObserver and LCP entries, performance.now), so
 * Playwright's polling adds nothing.
 */
import { chromium, type BrowserContext } from '@playwright/test';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO } from '../mock/seed.ts';
import { ARGS, CHROMIUM_PATH, newMock, prepareContext } from './browser.ts';
import { summarize, type Summary } from './stats.ts';

declare global {
  interface Window {
    __load?: { button?: number; ready?: number; lcp: number };
    __deepLink?: { profile?: number };
  }
}

/**
 * Installed before any page script: when button "Look up" is laid out, when React has taken it
 * (the first frame in which the button carries React's props, set when React renders or hydrates
 * it: from then on a press is the SPA's), and the latest LCP.
 */
function loadProbe() {
  const state: { button?: number; ready?: number; lcp: number } = { lcp: 0 };
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
      requestAnimationFrame(ready);
    }
  };
  // Hydration changes no DOM (nothing for a MutationObserver to see): a frame-by-frame look, which runs only when the page is idle.
  const ready = () => {
    const button = window.__a11y.find('button', 'Look up');
    if (button && Object.keys(button).some((k) => k.startsWith('__reactProps$'))) state.ready = performance.now();
    else requestAnimationFrame(ready);
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { childList: true, subtree: true });
}

export interface LoadSample {
  /** "Look up" visible, ms from navigation start. */
  button: number;
  /** "Look up" taken by React (a press is the SPA's), ms from navigation start. */
  ready: number;
  lcp: number;
}

async function visit(context: BrowserContext, url: string, cpuRate: number, waitForLcp: boolean): Promise<LoadSample> {
  const page = await context.newPage();
  try {
    const cdp = await context.newCDPSession(page);
    if (cpuRate !== 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: cpuRate });
    await page.addInitScript(loadProbe);
    await page.goto(url, { waitUntil: 'commit' });
    await page.waitForFunction(() => window.__load?.button !== undefined && window.__load.ready !== undefined, undefined, { timeout: 60_000, polling: 50 });
    await page.waitForLoadState('load');
    if (waitForLcp) {
      // LCP is final once nothing larger paints: give the first screen time to settle.
      await page.waitForTimeout(300 * cpuRate);
      await page.waitForFunction(() => (window.__load?.lcp ?? 0) > 0, undefined, { timeout: 30_000, polling: 50 });
    }
    const r = await page.evaluate(() => ({ button: window.__load?.button ?? Number.NaN, ready: window.__load?.ready ?? Number.NaN, lcp: window.__load?.lcp ?? Number.NaN }));
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

/** A new Chromium profile (a temporary user-data directory) for `f`, removed after it. */
async function inNewProfile<T>(prepare: ((c: BrowserContext) => Promise<void>) | undefined, f: (c: BrowserContext, dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-profile-'));
  const context = await chromium.launchPersistentContext(dir, { executablePath: CHROMIUM_PATH, args: ARGS });
  try {
    await prepareContext(context);
    await prepare?.(context);
    return await f(context, dir);
  } finally {
    await context.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const profileRun = (url: string, cpuRate: number, prepare?: (c: BrowserContext) => Promise<void>): Promise<ProfileRun> =>
  inNewProfile(prepare, async (context, dir) => {
    // The blank tab a persistent context opens with stays open: the browser lives while it does.
    const cold = await visit(context, url, cpuRate, true);
    await visit(context, url, 1, false);
    const codeCacheBytes = await codeCacheSettled(join(dir, 'Default', 'Code Cache', 'js'));
    const warm = await visit(context, url, cpuRate, false);
    return { cold, warm, codeCacheBytes };
  });

// ---------------------------------------------------------------------------------------------
// Interactive: a lookup pressed as soon as "Look up" shows

interface InteractiveArgs {
  vm: string;
  network: string;
  mac: string;
}

/**
 * Kept in `window.name`, which a same-origin page load in the tab keeps: a plain string in the
 * renderer, where sessionStorage's first use in a new profile has Chromium set up its storage
 * while the page waits.
 */
interface InteractiveState {
  /** performance.timeOrigin of the first document: the navigation's start. */
  origin: number;
  /** Documents loaded in the tab (1 = no page load after the first). */
  documents: number;
  /** Each press, ms after the first navigation's start, and the document it was made in. */
  presses: { at: number; document: number }[];
  button?: number;
  /** The answer shown (region "Network interface" with the MAC address), ms, and in which document. */
  answered?: { at: number; document: number };
}

/**
 * Installed before any page script, in every document of the tab. When button "Look up" is laid
 * out with a size, the probe types the lookup (focus, the value, the input event) into textboxes
 * "Virtual machine" and "Network", and in the next task presses "Look up" (element.click(): a
 * prerendered <form method="get"> submits natively, an SPA that has hydrated handles it). It then
 * watches for region "Network interface" showing the MAC address. A press that loads a page is seen
 * by the next document: there, if the URL carries both fields (a deep link), it only waits for the
 * answer; if it does not (the fields were lost, `?vm=&network=`), it types and presses again, each
 * time 200 ms later after the button shows, at most 10 presses in all.
 */
function interactiveProbe({ vm, network, mac }: InteractiveArgs) {
  const KEY = '__benchInteractive:';
  const saved = window.name.startsWith(KEY) ? window.name.slice(KEY.length) : '';
  const state: InteractiveState = saved ? (JSON.parse(saved) as InteractiveState) : { origin: performance.timeOrigin, documents: 0, presses: [] };
  state.documents += 1;
  const document_ = state.documents;
  const save = () => {
    window.name = KEY + JSON.stringify(state);
  };
  save();
  const now = () => performance.timeOrigin + performance.now() - state.origin;
  const params = new URLSearchParams(location.search);
  const deepLink = !!params.get('vm') && !!params.get('network');
  const MAX_PRESSES = 10;
  let pressed = deepLink || state.answered !== undefined || state.presses.length >= MAX_PRESSES;
  const a11y = () => window.__a11y;
  const pressedHere = () => state.presses[state.presses.length - 1]?.document === document_;
  const check = () => {
    if (state.answered) return observer.disconnect();
    // Until the press, only what the load probe does (button "Look up" laid out), so that the time
    // it shows compares with the load visits'.
    if (!pressed) {
      const button = a11y().find('button', 'Look up');
      if (!button || !a11y().visible(button)) return;
      pressed = true;
      if (state.button === undefined) state.button = now();
      const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set;
      for (const [name, value] of [['Virtual machine', vm], ['Network', network]] as const) {
        const input = a11y().find('textbox', name);
        if (!(input instanceof HTMLInputElement)) continue;
        input.focus();
        setValue?.call(input, value);
        input.dispatchEvent(new Event('input', { bubbles: true }));
      }
      // The first press in the next task, as a person's click comes after the typing has been
      // handled; a press again (after a page load, or fields lost) a little later each time, as a
      // person tries again, so that a page that hydrates late still answers one.
      setTimeout(() => {
        state.presses.push({ at: now(), document: document_ });
        save();
        // From the press on, text changes count too (the answer may fill an existing card).
        observer.observe(document, { childList: true, subtree: true, characterData: true });
        a11y().find('button', 'Look up')?.click();
      }, 200 * state.presses.length);
      return;
    }
    if (!deepLink && !pressedHere()) return;
    const region = a11y().find('region', 'Network interface');
    if (region && a11y().text(region).includes(mac)) {
      state.answered = { at: now(), document: document_ };
      save();
      return observer.disconnect();
    }
    // Pressed in this document, not answered, and the typed value gone (a hydration that reset the
    // fields): type and press again.
    const vmBox = a11y().find('textbox', 'Virtual machine');
    if (!deepLink && vmBox instanceof HTMLInputElement && vmBox.value === '' && state.presses.length < MAX_PRESSES) pressed = false;
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { childList: true, subtree: true, characterData: deepLink });
}

export interface InteractiveSample {
  /** "Look up" first visible, ms from the first navigation's start. */
  button: number;
  /** The answer shown, ms from the first navigation's start. */
  answered: number;
  /** Page loads between the first document and the answer (0: the SPA answered the first press in place). */
  pageLoads: number;
  presses: number;
  /**
   * The figure: the time of the press, when the SPA answered that first press in place (no page
   * load, no second press); else when the answer showed (a press that loads a page, or whose fields
   * the SPA lost, was not taken by an interactive SPA: the user waited until the answer came).
   */
  interactive: number;
}

export const interactiveRun = (url: string, cpuRate: number, prepare: (c: BrowserContext) => Promise<void>): Promise<InteractiveSample> =>
  inNewProfile(prepare, async (context) => {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    if (cpuRate !== 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: cpuRate });
    // A page load in the tab keeps its CPU throttling (the emulation belongs to the tab's target).
    await page.addInitScript(interactiveProbe, { vm: DEMO.vm, network: DEMO.network, mac: DEMO.mac });
    await page.goto(url, { waitUntil: 'commit' });
    const read = () => page.evaluate((key) => (window.name.startsWith(key) ? (JSON.parse(window.name.slice(key.length)) as InteractiveState) : null), '__benchInteractive:');
    const deadline = Date.now() + 60_000;
    let state: InteractiveState | null = null;
    // Polled from outside: a page load in between destroys the page's context, which a
    // waitForFunction would not survive.
    while (Date.now() < deadline) {
      state = await read().catch(() => null);
      if (state?.answered) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await cdp.detach().catch(() => {});
    await page.close();
    if (!state?.answered) throw new Error(`interactive: no answer within 60 s at ${url} (${JSON.stringify(state)})`);
    const first = state.presses[0];
    const inPlace = state.answered.document === 1 && state.presses.length === 1 && first !== undefined;
    return {
      button: state.button ?? Number.NaN,
      answered: state.answered.at,
      pageLoads: state.answered.document - 1,
      presses: state.presses.length,
      interactive: inPlace && first ? first.at : state.answered.at,
    };
  });

// ---------------------------------------------------------------------------------------------
// Deep link: the card with the current speed profile

/** Installed before any page script: when region "Network interface" shows `profile` as text. */
function deepLinkProbe(profile: string) {
  const state: { profile?: number } = {};
  window.__deepLink = state;
  const skip = (el: Element) =>
    el.getAttribute('role') === 'listbox' || (el.matches('section, [role="region"]') && window.__a11y.nameOf(el) === 'Recent changes');
  const pattern = new RegExp(`(^|[^\\w.])${profile.replace(/[.]/g, '\\.')}($|[^\\w])`);
  const observer = new MutationObserver(() => {
    const region = window.__a11y.find('region', 'Network interface');
    if (region && pattern.test(window.__a11y.text(region, skip))) {
      state.profile = performance.now();
      observer.disconnect();
    }
  });
  observer.observe(document, { childList: true, subtree: true, characterData: true });
}

const deepLinkRun = (url: string, cpuRate: number, prepare: (c: BrowserContext) => Promise<void>): Promise<number> =>
  inNewProfile(prepare, async (context) => {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    if (cpuRate !== 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: cpuRate });
    await page.addInitScript(deepLinkProbe, DEEP_LINK_PROFILE);
    await page.goto(url, { waitUntil: 'commit' });
    await page.waitForFunction(() => window.__deepLink?.profile !== undefined, undefined, { timeout: 60_000, polling: 50 });
    const t = await page.evaluate(() => window.__deepLink?.profile ?? Number.NaN);
    await cdp.detach();
    await page.close();
    return t;
  });

/** DEMO.vm's interface on DEMO.network has this speed profile in the seed. */
const DEEP_LINK_PROFILE = '1 Gbps';
export const DEEP_LINK_LATENCY_MS = 100;

// ---------------------------------------------------------------------------------------------

export type Site = 'panel' | 'floor' | 'plain';
const SITES: Site[] = ['panel', 'floor', 'plain'];

export interface LoadRun {
  panel: ProfileRun;
  floor: ProfileRun;
  plain: ProfileRun;
  interactive: { panel: InteractiveSample; plain: InteractiveSample };
  /** Deep link, ms from navigation start to the card showing the current profile. */
  deepLink: number;
}

interface Figures {
  button: Summary;
  ready: Summary;
  lcp: Summary;
}

export interface LoadFigures {
  cpuRate: number;
  cold: Record<Site, Figures> & { ratio: { floor: Figures; plain: Figures } };
  warm: Record<Site, { button: Summary }> & { ratio: { floor: { button: Summary }; plain: { button: Summary } } };
  interactive: {
    panel: { interactive: Summary; answered: Summary; button: Summary; pageLoads: number };
    plain: { interactive: Summary; answered: Summary; button: Summary; pageLoads: number };
    /**
     * Per run: the panel's interactive / the plain reference's "Look up" visible in its own
     * interactive visit (the same probe, cold, in a new profile).
     */
    ratioToPlainButton: Summary;
    /** Per run: when the panel's cold "Look up" was React's / when the plain build's cold "Look up" showed. */
    readyToPlainButton: Summary;
  };
  deepLink: { latencyMs: number; profile: Summary; ratioToPlainButton: Summary };
  /** Smallest size over the runs of the V8 code cache before the warm visit. */
  codeCacheBytes: Record<Site, number>;
  samples: LoadRun[];
}

export async function measureLoad(
  urls: Record<Site, string>,
  runs: number,
  cpuRate: number,
  log: (s: string) => void,
): Promise<LoadFigures> {
  const mock = await newMock(urls.panel, { latencyMs: 0 });
  const slow = await newMock(urls.panel, { latencyMs: DEEP_LINK_LATENCY_MS });
  const cookie = (c: BrowserContext) => mock.addCookie(c, urls.plain);
  const one = (which: Site) => profileRun(`${urls[which]}/`, cpuRate, which === 'floor' ? undefined : cookie);
  const interactive = (which: 'panel' | 'plain') => interactiveRun(`${urls[which]}/`, cpuRate, cookie);
  const deepLink = () => deepLinkRun(`${urls.panel}/?vm=${DEMO.vm}&network=${DEMO.network}`, cpuRate, (c) => slow.addCookie(c));
  // One unmeasured run of each warms the servers and the OS file cache.
  for (const site of SITES) await one(site);
  await interactive('panel');
  await interactive('plain');
  const samples: LoadRun[] = [];
  for (let i = 0; i < runs; i++) {
    // panel, floor, plain; then floor, plain, panel; …: each goes first as often as the others.
    const order = SITES.map((_, k) => SITES[(i + k) % SITES.length] as Site);
    const run: Partial<LoadRun> = {};
    for (const which of order) run[which] = await one(which);
    const pair: Partial<LoadRun['interactive']> = {};
    for (const which of i % 2 === 0 ? (['panel', 'plain'] as const) : (['plain', 'panel'] as const)) pair[which] = await interactive(which);
    run.interactive = pair as LoadRun['interactive'];
    run.deepLink = await deepLink();
    samples.push(run as LoadRun);
    log(`  load: run ${i + 1}/${runs}`);
  }
  const pick = (w: Site, v: 'cold' | 'warm', k: keyof LoadSample) => summarize(samples.map((x) => x[w][v][k]));
  const ratio = (to: 'floor' | 'plain', v: 'cold' | 'warm', k: keyof LoadSample) => summarize(samples.map((x) => x.panel[v][k] / x[to][v][k]));
  const cold = (w: Site): Figures => ({ button: pick(w, 'cold', 'button'), ready: pick(w, 'cold', 'ready'), lcp: pick(w, 'cold', 'lcp') });
  const inter = (w: 'panel' | 'plain') => ({
    interactive: summarize(samples.map((x) => x.interactive[w].interactive)),
    answered: summarize(samples.map((x) => x.interactive[w].answered)),
    button: summarize(samples.map((x) => x.interactive[w].button)),
    pageLoads: samples.filter((x) => x.interactive[w].pageLoads > 0).length,
  });
  return {
    cpuRate,
    cold: {
      panel: cold('panel'),
      floor: cold('floor'),
      plain: cold('plain'),
      ratio: {
        floor: { button: ratio('floor', 'cold', 'button'), ready: ratio('floor', 'cold', 'ready'), lcp: ratio('floor', 'cold', 'lcp') },
        plain: { button: ratio('plain', 'cold', 'button'), ready: ratio('plain', 'cold', 'ready'), lcp: ratio('plain', 'cold', 'lcp') },
      },
    },
    warm: {
      panel: { button: pick('panel', 'warm', 'button') },
      floor: { button: pick('floor', 'warm', 'button') },
      plain: { button: pick('plain', 'warm', 'button') },
      ratio: { floor: { button: ratio('floor', 'warm', 'button') }, plain: { button: ratio('plain', 'warm', 'button') } },
    },
    interactive: {
      panel: inter('panel'),
      plain: inter('plain'),
      ratioToPlainButton: summarize(samples.map((x) => x.interactive.panel.interactive / x.interactive.plain.button)),
      readyToPlainButton: summarize(samples.map((x) => x.panel.cold.ready / x.plain.cold.button)),
    },
    deepLink: {
      latencyMs: DEEP_LINK_LATENCY_MS,
      profile: summarize(samples.map((x) => x.deepLink)),
      ratioToPlainButton: summarize(samples.map((x) => x.deepLink / x.plain.cold.button)),
    },
    codeCacheBytes: {
      panel: Math.min(...samples.map((x) => x.panel.codeCacheBytes)),
      floor: Math.min(...samples.map((x) => x.floor.codeCacheBytes)),
      plain: Math.min(...samples.map((x) => x.plain.codeCacheBytes)),
    },
    samples,
  };
}
