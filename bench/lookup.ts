/**
 * The lookup, timed inside the page, and the memory of many lookups in one page. The UI is found by
 * role and accessible name only (bench/a11y.ts): textbox "Virtual machine", textbox "Network",
 * button "Look up", region "Network interface".
 */
import type { Browser, CDPSession, Page } from '@playwright/test';
import { createSeed, DEMO } from '../mock/seed.ts';
import { newMock } from './browser.ts';
import { summarize, type Summary } from './stats.ts';

/** The two interfaces the lookups alternate between (DEMO.network is the public network). */
export const TARGETS = [
  { vm: DEMO.vm, mac: DEMO.mac, ips: [DEMO.ipv4, DEMO.ipv6], profile: '1 Gbps' },
  { vm: DEMO.vnetVm, mac: '02:00:ac:1f:5a:01', ips: ['185.199.108.77'], profile: '100 Mbps' },
] as const;
export type Target = (typeof TARGETS)[number];

/** The lookup's endpoint: its Resource Timing entry says when its answer was in. */
const LOOKUP_PATH = '/virtual_machines/virtual_machine/networks/network/interface?';
/** The organization's speed profiles (paginated): the last page's Resource Timing entry says when the list was all in. */
const PROFILES_PATH = '/organizations/organization/network_speed_profiles?';
/** Every profile of the seed's one organization: what combobox "Speed profile" must offer. */
const PROFILE_COUNT = createSeed(0).speedProfiles.length;

export interface LookupTimes {
  /** ms after the press on "Look up" (see watchLookup): the card shows MAC and IPs; the frame that paints it is done; the profile's name shows. */
  card: number;
  frameDone: number;
  profile: number;
  /** Combobox "Speed profile" enabled, ms after the press (when asked to wait for it). */
  listEnabled?: number;
  /** The press, in the page's performance.now(). */
  origin: number;
  /** Wall clock of the press (to line up the mock's request log). */
  pressedAt: number;
  /** The lookup request's fetch start and response end, ms after the press (absent when not asked). */
  sent?: number;
  answered?: number;
}

declare global {
  interface Window {
    __lookup?: Promise<LookupTimes>;
  }
}

/**
 * Installed in the page before the click: from the press on "Look up" (the origin), watches
 * region "Network interface" until it shows the target's MAC and IPs and, as text, the
 * current profile's name. The card's nested region "Recent changes" (the shared audit log, whose
 * entries name profiles too) and any open listbox are not read. `frameDone`: a task queued from the
 * next animation frame after the card is in the DOM runs once that frame's style, layout and paint
 * are done: what a user sees, vsync included. With `type`, the page first types the lookup as typing
 * reaches it (focus, the value, the input event React listens to); with `click`, it presses
 * "Look up" itself and the promise is returned.
 */
function watchLookup({ mac, ips, profile, path, resourceTiming, click, type, list }: WatchArgs) {
  const a11y = window.__a11y;
  if (type) {
    const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set;
    for (const [name, value] of [
      ['Virtual machine', type.vm],
      ['Network', type.network],
    ] as const) {
      const input = a11y.find('textbox', name);
      if (!(input instanceof HTMLInputElement)) throw new Error(`no textbox "${name}"`);
      input.focus();
      setValue?.call(input, value);
      input.dispatchEvent(new Event('input', { bubbles: true }));
    }
  }
  window.__lookup = new Promise<LookupTimes>((resolve, reject) => {
    let t0: number | undefined;
    let pressedAt = 0;
    let card: number | undefined;
    let frameDone: number | undefined;
    let profileAt: number | undefined;
    let listEnabled: number | undefined;
    const skip = (el: Element) =>
      el.getAttribute('role') === 'listbox' || (el.matches('section, [role="region"]') && a11y.nameOf(el) === 'Recent changes');
    const listening = new AbortController();
    const finish = () => {
      if (t0 === undefined || card === undefined || frameDone === undefined || profileAt === undefined) return;
      if (list && listEnabled === undefined) return;
      observer.disconnect();
      listening.abort();
      clearTimeout(timer);
      const origin = t0;
      const entry = resourceTiming
        ? performance
            .getEntriesByType('resource')
            .find((e): e is PerformanceResourceTiming => e instanceof PerformanceResourceTiming && e.name.includes(path) && e.startTime >= origin)
        : undefined;
      resolve({ card, frameDone, profile: profileAt, listEnabled, origin, pressedAt, sent: entry && entry.startTime - origin, answered: entry && entry.responseEnd - origin });
    };
    const check = () => {
      if (t0 === undefined) return;
      const region = a11y.find('region', 'Network interface');
      const text = region ? a11y.text(region, skip) : '';
      const at = performance.now() - t0;
      if (card === undefined && text.includes(mac) && ips.every((ip) => text.includes(ip))) {
        card = at;
        requestAnimationFrame(() =>
          setTimeout(() => {
            frameDone = performance.now() - (t0 ?? 0);
            finish();
          }, 0),
        );
      }
      if (list && listEnabled === undefined) {
        const combobox = a11y.find('combobox', 'Speed profile');
        if (combobox && !(combobox as HTMLInputElement).disabled && combobox.getAttribute('aria-disabled') !== 'true') listEnabled = at;
      }
      if (profileAt === undefined && new RegExp(`(^|[^\\w.])${profile.replace(/[.]/g, '\\.')}($|[^\\w])`).test(text)) profileAt = at;
      finish();
    };
    const observer = new MutationObserver(check);
    const timer = setTimeout(() => {
      observer.disconnect();
      listening.abort();
      reject(new Error(`lookup not shown within 30 s (card ${card}, profile ${profileAt}, list enabled ${listEnabled})`));
    }, 30_000);
    // The press starts the lookup for a user: the origin is the pointerdown of the click when it
    // has one (Playwright's click does), else the click event (the page's own element.click()).
    const start = (e: Event) => {
      if (t0 !== undefined) return;
      t0 = e.timeStamp;
      pressedAt = Date.now() - (performance.now() - e.timeStamp);
      observer.observe(document.body, { childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ['disabled', 'aria-disabled'] });
    };
    window.addEventListener('pointerdown', start, { capture: true, signal: listening.signal });
    window.addEventListener('click', start, { capture: true, signal: listening.signal });
    if (click) {
      // In a task of its own, as a person's click comes after the typing has been handled.
      setTimeout(() => {
        const button = a11y.find('button', 'Look up');
        if (!button) return reject(new Error('no button "Look up"'));
        button.click();
      }, 0);
    }
  });
  window.__lookup.catch(() => {});
  return click ? window.__lookup : undefined;
}

interface WatchArgs {
  mac: string;
  ips: string[];
  profile: string;
  path: string;
  resourceTiming: boolean;
  click: boolean;
  type?: { vm: string; network: string };
  /** Also wait for combobox "Speed profile" to be enabled. */
  list?: boolean;
}

export const watch = (page: Page, t: Target, opts: Pick<WatchArgs, 'resourceTiming' | 'click' | 'type' | 'list'>) =>
  page.evaluate(watchLookup, { mac: t.mac, ips: [...t.ips], profile: t.profile, path: LOOKUP_PATH, ...opts });

export const lookupDone = (page: Page) =>
  page.evaluate(() => {
    if (!window.__lookup) throw new Error('no lookup watched');
    return window.__lookup;
  });

export interface LookupFigures {
  latencyMs: number;
  /** ms after the press on "Look up", per run summarized. */
  sentMs: Summary;
  answerInMs: Summary;
  cardMs: Summary;
  frameDoneMs: Summary;
  profileMs: Summary;
  /** Per run: frame done − answer in (the budget), and card in the DOM − answer in. */
  answerToFrameDoneMs: Summary;
  answerToCardMs: Summary;
  /** profile / latency */
  profileRoundTrips: Summary;
  /**
   * The profile list ready: combobox "Speed profile" enabled, and the last page of the
   * organization's profiles in (Resource Timing's response end), whichever is later; ms after the
   * press and in round trips.
   */
  listReadyMs: Summary;
  listReadyRoundTrips: Summary;
  /** Options counted in the opened list, for the runs where they were not every profile. */
  listIncomplete: number[];
  profileCount: number;
  /** Each run's sent, answer → frame done (ms), and current profile and list ready (round trips), for paired comparisons (bench/compare-lookup.ts). */
  perRun: { sentMs: number; answerToFrameDoneMs: number; profileRoundTrips: number; listReadyRoundTrips: number }[];
  /** The first run's API requests: ms after the press that the mock received each. */
  waterfall: { atMs: number; method: string; endpoint: string; query: Record<string, string> }[];
}

/**
 * Each run in a fresh context and mock session (nothing cached, as for a support engineer's first
 * lookup), at 1× CPU, the mock answering every request after `latencyMs`. The fields are filled
 * and the button clicked by Playwright (real input events, found by role and name).
 */
export async function measureLookups(browser: Browser, panelUrl: string, runs: number, log: (s: string) => void): Promise<LookupFigures> {
  const latencyMs = 100;
  const all: (LookupTimes & { listReady: number; listOptions: number })[] = [];
  let waterfall: LookupFigures['waterfall'] = [];
  for (let i = 0; i < runs; i++) {
    const mock = await newMock(panelUrl, { latencyMs });
    const context = await mock.context(browser);
    try {
      const page = await context.newPage();
      await page.goto(`${panelUrl}/`);
      const button = page.getByRole('button', { name: 'Look up', exact: true });
      await button.waitFor();
      const target = TARGETS[i % 2] ?? TARGETS[0];
      await page.getByRole('textbox', { name: 'Virtual machine', exact: true }).fill(target.vm);
      await page.getByRole('textbox', { name: 'Network', exact: true }).fill(DEMO.network);
      // Let what the fields start by themselves (e.g. the VM's networks) finish first.
      await page.waitForTimeout(3 * latencyMs);
      await watch(page, target, { resourceTiming: true, click: false, list: true });
      await button.click();
      const t = await lookupDone(page);
      if (t.sent === undefined || t.answered === undefined) throw new Error('no Resource Timing entry for the lookup request');
      // Whatever pages of profiles are still coming: then the last one's response end, and what
      // the list offers once opened (every profile, or the list was not complete).
      await page.waitForTimeout(3 * latencyMs);
      const profilesIn = await page.evaluate(
        ({ path, origin }) => Math.max(Number.NEGATIVE_INFINITY, ...performance.getEntriesByType('resource').filter((e) => e.name.includes(path)).map((e) => (e as PerformanceResourceTiming).responseEnd - origin)),
        { path: PROFILES_PATH, origin: t.origin },
      );
      const combobox = page.getByRole('combobox', { name: 'Speed profile', exact: true });
      await combobox.click();
      const options = await page.getByRole('listbox').getByRole('option').count();
      await page.keyboard.press('Escape');
      all.push({ ...t, listReady: Math.max(t.listEnabled ?? Number.NaN, profilesIn), listOptions: options });
      if (i === 0) {
        waterfall = (await mock.requests())
          .filter((r) => r.at >= t.pressedAt - 1)
          .map((r) => ({ atMs: Math.round(r.at - t.pressedAt), method: r.method, endpoint: r.endpoint, query: r.query }));
      }
    } finally {
      await context.close();
    }
    log(`  lookup: run ${i + 1}/${runs}`);
  }
  const s = (f: (t: (typeof all)[number]) => number) => summarize(all.map(f));
  return {
    latencyMs,
    listReadyMs: s((t) => t.listReady),
    listReadyRoundTrips: s((t) => t.listReady / latencyMs),
    listIncomplete: all.filter((t) => t.listOptions !== PROFILE_COUNT).map((t) => t.listOptions),
    profileCount: PROFILE_COUNT,
    sentMs: s((t) => t.sent ?? Number.NaN),
    answerInMs: s((t) => t.answered ?? Number.NaN),
    cardMs: s((t) => t.card),
    frameDoneMs: s((t) => t.frameDone),
    profileMs: s((t) => t.profile),
    answerToFrameDoneMs: s((t) => t.frameDone - (t.answered ?? Number.NaN)),
    answerToCardMs: s((t) => t.card - (t.answered ?? Number.NaN)),
    profileRoundTrips: s((t) => t.profile / latencyMs),
    perRun: all.map((t) => ({ sentMs: t.sent ?? Number.NaN, answerToFrameDoneMs: t.frameDone - (t.answered ?? Number.NaN), profileRoundTrips: t.profile / latencyMs, listReadyRoundTrips: t.listReady / latencyMs })),
    waterfall,
  };
}

// ---------------------------------------------------------------------------------------------
// Memory

/**
 * Machine code and the metadata that comes with it (relocation and deoptimization data), from a
 * heap snapshot: nodes of type `code` with these names. V8 compiles a function again when it gets
 * hot, so this grows over the first several hundred lookups and then levels off. Bytecode,
 * SharedFunctionInfos, feedback and everything else stay in the page's data.
 */
const JIT_CODE = new Set([
  'system / InstructionStream',
  'system / Code',
  'system / CodeWrapper',
  'system / TrustedByteArray',
  'system / ProtectedFixedArray',
  'system / TrustedWeakFixedArray',
]);

async function jitCodeSize(cdp: CDPSession): Promise<number> {
  const chunks: string[] = [];
  const onChunk = (e: { chunk: string }) => chunks.push(e.chunk);
  cdp.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
  try {
    await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  } finally {
    cdp.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
  }
  const snap = JSON.parse(chunks.join('')) as {
    snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
    nodes: number[];
    strings: string[];
  };
  const { node_fields: fields, node_types: [types] } = snap.snapshot.meta;
  const width = fields.length;
  const [type, name, size] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f)) as [number, number, number];
  let total = 0;
  for (let i = 0; i < snap.nodes.length; i += width) {
    if (types[snap.nodes[i + type] ?? -1] !== 'code') continue;
    if (JIT_CODE.has(snap.strings[snap.nodes[i + name] ?? -1] ?? '')) total += snap.nodes[i + size] ?? 0;
  }
  return total;
}

export interface HeapPoint {
  lookups: number;
  /** V8's used heap (Runtime.getHeapUsage) after forced GC. */
  used: number;
  /** Of which machine code V8's compilers made, and its metadata. */
  jitCode: number;
}

export interface MemoryFigures {
  points: HeapPoint[];
  /** 10 → 200 lookups, the heap without V8's compiled code. */
  dataGrowthPercent10to200: number;
  /** 10 → 200 lookups, the whole heap (shown, no budget). */
  growthPercent10to200: number;
  /** 600 → 1,000 lookups, the whole heap. */
  growthPercent600to1000: number;
}

export const MEMORY_POINTS = [10, 200, 600, 1000];

/** One page, the mock answering at once, lookups alternating between two interfaces. */
export async function measureMemory(browser: Browser, panelUrl: string, log: (s: string) => void): Promise<MemoryFigures> {
  const mock = await newMock(panelUrl, { latencyMs: 0 });
  const context = await mock.context(browser);
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    const heap = async (lookups: number): Promise<HeapPoint> => {
      await page.waitForTimeout(300);
      for (let i = 0; i < 3; i++) await cdp.send('HeapProfiler.collectGarbage');
      const { usedSize } = await cdp.send('Runtime.getHeapUsage');
      return { lookups, used: usedSize, jitCode: await jitCodeSize(cdp) };
    };
    await page.goto(`${panelUrl}/`);
    await page.getByRole('button', { name: 'Look up', exact: true }).waitFor();
    const last = MEMORY_POINTS[MEMORY_POINTS.length - 1] ?? 0;
    const points: HeapPoint[] = [];
    for (let i = 1; i <= last; i++) {
      const target = TARGETS[i % 2] ?? TARGETS[0];
      // Typed, pressed and awaited from inside the page, not with Playwright's locators: their
      // selector engine runs in the page's own V8 isolate, and the machine code V8 compiles for it
      // as it gets hot would be counted in the page's heap.
      await watch(page, target, { resourceTiming: false, click: true, type: { vm: target.vm, network: DEMO.network } });
      if (MEMORY_POINTS.includes(i)) {
        points.push(await heap(i));
        log(`  memory: ${i}/${last} lookups`);
      }
    }
    await cdp.detach();
    const at = (n: number) => points.find((p) => p.lookups === n) ?? { lookups: n, used: Number.NaN, jitCode: Number.NaN };
    const growth = (a: number, b: number) => ((b - a) / a) * 100;
    const [p10, p200, p600, p1000] = [at(10), at(200), at(600), at(1000)];
    return {
      points,
      dataGrowthPercent10to200: growth(p10.used - p10.jitCode, p200.used - p200.jitCode),
      growthPercent10to200: growth(p10.used, p200.used),
      growthPercent600to1000: growth(p600.used, p1000.used),
    };
  } finally {
    await context.close();
  }
}
