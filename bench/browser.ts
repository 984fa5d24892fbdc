/**
 * The browser parts of the bench, in Debian's Chromium with the e2e tests' flags: cold load (panel
 * and floor interleaved), lookup round trips, task following and memory. Timings are taken inside
 * the page (MutationObserver, performance.now / Date.now) so Playwright's polling adds nothing.
 */
import { chromium, type Browser, type BrowserContext, type CDPSession, type Page } from '@playwright/test';
import { SESSION_COOKIE, type LoggedRequest, type MockConfig } from '../src/mocks/db.ts';
import { DEMO } from '../src/mocks/seed.ts';
import { summarize, type Summary } from './stats.ts';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export const launch = (): Promise<Browser> => chromium.launch({ executablePath: CHROMIUM_PATH, args: ARGS });

/**
 * A fresh context. tsx compiles with esbuild's keepNames, which wraps the functions we hand to the
 * page in `__name(…)`: define it there first (a no-op), or every in-page probe throws.
 */
export async function freshContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext();
  await context.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  return context;
}

const TASK_ENDPOINT = '/tasks/task';
const UPDATE_ENDPOINT = '/virtual_machine_network_interfaces/virtual_machine_network_interface/update_speed_profile';

/** The two interfaces the lookups alternate between (DEMO.network is the public network). */
const TARGETS = [
  { vm: DEMO.vm, mac: DEMO.mac, ips: [DEMO.ipv4, DEMO.ipv6], profile: '1 Gbps' },
  { vm: DEMO.vnetVm, mac: '02:00:ac:1f:5a:01', ips: ['185.199.108.77'], profile: '100 Mbps' },
] as const;

/** The mock's test controls, for one session. */
export class Mock {
  constructor(
    readonly base: string,
    readonly session: string,
  ) {}
  private headers(json = false): Record<string, string> {
    return { cookie: `${SESSION_COOKIE}=${this.session}`, ...(json ? { 'content-type': 'application/json' } : {}) };
  }
  async reset(config: Partial<MockConfig>) {
    const r = await fetch(`${this.base}/__mock/reset`, { method: 'POST', headers: this.headers(true), body: JSON.stringify(config) });
    if (!r.ok) throw new Error(`/__mock/reset answered ${r.status}`);
  }
  async requests(): Promise<LoggedRequest[]> {
    return (await (await fetch(`${this.base}/__mock/requests`, { headers: this.headers() })).json()) as LoggedRequest[];
  }
  async state(): Promise<{ tasks: { id: string; status?: string; finishedAtMs?: number }[] }> {
    return (await (await fetch(`${this.base}/__mock/state`, { headers: this.headers() })).json()) as {
      tasks: { id: string; status?: string; finishedAtMs?: number }[];
    };
  }
  async context(browser: Browser): Promise<BrowserContext> {
    const context = await freshContext(browser);
    await context.addCookies([{ name: SESSION_COOKIE, value: this.session, url: this.base }]);
    return context;
  }
}

let sessions = 0;
export const newMock = async (base: string, config: Partial<MockConfig>) => {
  const mock = new Mock(base, `bench-${process.pid}-${Date.now()}-${++sessions}`);
  await mock.reset(config);
  return mock;
};

// ---------------------------------------------------------------------------------------------
// Cold load

declare global {
  interface Window {
    __bench?: { button?: number; lcp: number };
  }
}

/** Installed before any page script: records when "Look up" is laid out, and the latest LCP. */
function coldLoadProbe() {
  const state: { button?: number; lcp: number } = { lcp: 0 };
  window.__bench = state;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) state.lcp = e.startTime;
  }).observe({ type: 'largest-contentful-paint', buffered: true });
  const check = () => {
    if (state.button !== undefined) return;
    for (const b of document.querySelectorAll('button')) {
      if (b.textContent?.trim() !== 'Look up') continue;
      const r = b.getBoundingClientRect();
      if (r.width > 0 && r.height > 0 && getComputedStyle(b).visibility !== 'hidden') {
        state.button = performance.now();
        observer.disconnect();
      }
    }
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { childList: true, subtree: true });
}

export interface LoadSample {
  button: number;
  lcp: number;
}

async function coldLoad(context: BrowserContext, url: string, cpuRate: number): Promise<LoadSample> {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  if (cpuRate !== 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: cpuRate });
  await page.addInitScript(coldLoadProbe);
  await page.goto(url, { waitUntil: 'commit' });
  await page.waitForFunction(() => window.__bench?.button !== undefined, undefined, { timeout: 60_000, polling: 50 });
  await page.waitForLoadState('load');
  // LCP is final once nothing larger paints: give the first screen time to settle.
  await page.waitForTimeout(300 * cpuRate);
  await page.waitForFunction(() => (window.__bench?.lcp ?? 0) > 0, undefined, { timeout: 30_000, polling: 50 });
  const r = await page.evaluate(() => ({ button: window.__bench?.button ?? Number.NaN, lcp: window.__bench?.lcp ?? Number.NaN }));
  await cdp.detach();
  return r;
}

export interface LoadFigures {
  cpuRate: number;
  panel: { button: Summary; lcp: Summary };
  floor: { button: Summary; lcp: Summary };
  /** Per interleaved pair: panel / floor. */
  ratio: { button: Summary; lcp: Summary };
  samples: { panel: LoadSample; floor: LoadSample }[];
}

export async function measureColdLoad(
  browser: Browser,
  panelUrl: string,
  floorUrl: string,
  runs: number,
  rates: number[],
  log: (s: string) => void,
): Promise<LoadFigures[]> {
  const mock = await newMock(panelUrl, { latencyMs: 0 });
  const samples = new Map<number, { panel: LoadSample; floor: LoadSample }[]>(rates.map((r) => [r, []]));
  const one = async (which: 'panel' | 'floor', rate: number) => {
    const context = which === 'panel' ? await mock.context(browser) : await freshContext(browser);
    try {
      return await coldLoad(context, which === 'panel' ? `${panelUrl}/` : `${floorUrl}/`, rate);
    } finally {
      await context.close();
    }
  };
  // One unmeasured load of each warms the server and the OS file cache.
  await one('panel', 1);
  await one('floor', 1);
  for (let i = 0; i < runs; i++) {
    for (const rate of rates) {
      const order: ('panel' | 'floor')[] = (i + rates.indexOf(rate)) % 2 === 0 ? ['panel', 'floor'] : ['floor', 'panel'];
      const pair: Partial<Record<'panel' | 'floor', LoadSample>> = {};
      for (const which of order) pair[which] = await one(which, rate);
      samples.get(rate)?.push(pair as { panel: LoadSample; floor: LoadSample });
    }
    log(`  cold load: run ${i + 1}/${runs}`);
  }
  return rates.map((cpuRate) => {
    const s = samples.get(cpuRate) ?? [];
    const pick = (w: 'panel' | 'floor', k: keyof LoadSample) => s.map((x) => x[w][k]);
    return {
      cpuRate,
      panel: { button: summarize(pick('panel', 'button')), lcp: summarize(pick('panel', 'lcp')) },
      floor: { button: summarize(pick('floor', 'button')), lcp: summarize(pick('floor', 'lcp')) },
      ratio: {
        button: summarize(s.map((x) => x.panel.button / x.floor.button)),
        lcp: summarize(s.map((x) => x.panel.lcp / x.floor.lcp)),
      },
      samples: s,
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Lookups

async function fillLookup(page: Page, vm: string, network: string) {
  await page.getByRole('textbox', { name: 'Virtual machine' }).fill(vm);
  await page.getByRole('textbox', { name: 'Network' }).fill(network);
}

/** The lookup's path: its Resource Timing entry splits the time to the card into its parts. */
const LOOKUP_PATH = '/virtual_machines/virtual_machine/networks/network/interface?';

/**
 * Press "Look up" inside the page and time (ms) until the card shows MAC and IPs, and until it
 * shows the current speed profile's name; and, from the lookup request's Resource Timing entry,
 * when it left (fetch start) and when its answer was in (response end), from the same click.
 * `painted`: when the frame that draws the card is done (a task queued from that frame's animation
 * frame callback runs after its style, layout and paint): what a user sees, vsync included.
 */
function timeLookup(page: Page, t: { mac: string; ips: readonly string[]; profile: string }) {
  return page.evaluate(
    ({ mac, ips, profile, path }) =>
      new Promise<{ card: number; painted: number; profile: number; clickedAt: number; sent?: number; answered?: number }>((resolve, reject) => {
        const card = () =>
          [...document.querySelectorAll('section[aria-labelledby]')].find((s) => {
            const id = s.getAttribute('aria-labelledby');
            return id !== null && document.getElementById(id)?.textContent?.trim() === 'Network interface';
          });
        const button = [...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Look up');
        if (!button) return reject(new Error('no Look up button'));
        let cardAt: number | undefined;
        let paintedAt: number | undefined;
        let profileAt: number | undefined;
        const finish = () => {
          if (cardAt === undefined || paintedAt === undefined || profileAt === undefined) return;
          observer.disconnect();
          clearTimeout(timer);
          const request = performance
            .getEntriesByType('resource')
            .find((e): e is PerformanceResourceTiming => e.name.includes(path) && e.startTime >= t0 && e instanceof PerformanceResourceTiming);
          resolve({ card: cardAt, painted: paintedAt, profile: profileAt, clickedAt, sent: request && request.startTime - t0, answered: request && request.responseEnd - t0 });
        };
        const check = () => {
          const text = card()?.textContent ?? '';
          const now = performance.now();
          if (cardAt === undefined && text.includes(mac) && ips.every((ip) => text.includes(ip))) {
            cardAt = now - t0;
            requestAnimationFrame(() =>
              setTimeout(() => {
                paintedAt = performance.now() - t0;
                finish();
              }, 0),
            );
          }
          if (profileAt === undefined && text.includes(profile)) profileAt = now - t0;
          finish();
        };
        const observer = new MutationObserver(check);
        observer.observe(document.body, { childList: true, subtree: true, characterData: true });
        const timer = setTimeout(() => {
          observer.disconnect();
          reject(new Error(`lookup not shown within 20 s (card ${cardAt}, profile ${profileAt})`));
        }, 20_000);
        const clickedAt = Date.now();
        const t0 = performance.now();
        button.click();
      }),
    { mac: t.mac, ips: [...t.ips], profile: t.profile, path: LOOKUP_PATH },
  );
}

export interface LookupFigures {
  latencyMs: number;
  cardMs: Summary;
  profileMs: Summary;
  /** The frame that draws the card done (see timeLookup), ms after the click. */
  cardPaintedMs: Summary;
  /** The lookup request: fetch start and response end, ms after the click; and response end → card. */
  requestSentMs: Summary;
  answerInMs: Summary;
  answerToCardMs: Summary;
  /** time / latency */
  cardRoundTrips: Summary;
  profileRoundTrips: Summary;
  /** The first run's API requests: ms after the click that each was received by the mock. */
  waterfall: { atMs: number; method: string; endpoint: string; query: Record<string, string> }[];
}

export async function measureLookups(browser: Browser, panelUrl: string, runs: number, log: (s: string) => void): Promise<LookupFigures> {
  const latencyMs = 100;
  const card: number[] = [];
  const painted: number[] = [];
  const profile: number[] = [];
  const sent: number[] = [];
  const answered: number[] = [];
  let waterfall: LookupFigures['waterfall'] = [];
  for (let i = 0; i < runs; i++) {
    // A fresh session and context per run: nothing cached, as for a support engineer's first lookup.
    const mock = await newMock(panelUrl, { latencyMs });
    const context = await mock.context(browser);
    try {
      const page = await context.newPage();
      await page.goto(`${panelUrl}/`);
      await page.getByRole('button', { name: 'Look up' }).waitFor();
      const target = TARGETS[i % 2] ?? TARGETS[0];
      await fillLookup(page, target.vm, DEMO.network);
      // Let what the fields themselves start (the VM's networks, on leaving the field) settle first.
      await page.waitForTimeout(3 * latencyMs);
      const t = await timeLookup(page, target);
      card.push(t.card);
      painted.push(t.painted);
      profile.push(t.profile);
      if (t.sent === undefined || t.answered === undefined) throw new Error('no Resource Timing entry for the lookup request');
      sent.push(t.sent);
      answered.push(t.answered);
      if (i === 0) {
        await page.waitForTimeout(3 * latencyMs);
        waterfall = (await mock.requests())
          .filter((r) => r.at >= t.clickedAt)
          .map((r) => ({ atMs: r.at - t.clickedAt, method: r.method, endpoint: r.endpoint, query: r.query }));
      }
    } finally {
      await context.close();
    }
  }
  log(`  lookups: ${runs} done`);
  return {
    latencyMs,
    cardMs: summarize(card),
    profileMs: summarize(profile),
    cardPaintedMs: summarize(painted),
    requestSentMs: summarize(sent),
    answerInMs: summarize(answered),
    answerToCardMs: summarize(card.map((c, i) => c - (answered[i] ?? 0))),
    cardRoundTrips: summarize(card.map((x) => x / latencyMs)),
    profileRoundTrips: summarize(profile.map((x) => x / latencyMs)),
    waterfall,
  };
}

// ---------------------------------------------------------------------------------------------
// Memory

export interface MemoryFigures {
  /** V8's used heap (Runtime.getHeapUsage) after forced GC. */
  heapAfter10: number;
  heapAfter200: number;
  growthPercent: number;
  /** Of which machine code V8's compilers made (Sparkplug, Maglev, TurboFan) and its metadata. */
  jitCodeAfter10: number;
  jitCodeAfter200: number;
  /** The growth of the heap without that code: what the page keeps (objects, strings, bytecode…). */
  dataGrowthPercent: number;
}

/**
 * Machine code and the metadata that comes with it (relocation and deoptimization data), from a
 * heap snapshot: nodes of type `code` with these names. V8 compiles a function again when it gets
 * hot, so this grows over the first several hundred lookups and then levels off (about +1 MB from
 * 10 to 200 lookups, with no more objects retained: the same flow with the compilers turned off
 * grows 0.2 %). Bytecode, SharedFunctionInfos, feedback and everything else stay in the data.
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

/**
 * Types a lookup from inside the page, as a user's typing reaches it (focus, the input event React
 * listens to, blur by moving on); timeLookup then presses "Look up". The memory part uses this
 * rather than Playwright's locators: their selector engine (roles, accessible names, actionability
 * checks) runs in the page's own V8 isolate, and the machine code V8 compiles for it as it gets hot
 * was counted in the page's heap: about 170 kB of the growth from 10 to 200 lookups (17.5 % →
 * 15.1 %, same code, one run).
 */
function typeInPage(page: Page, vm: string, network: string) {
  return page.evaluate(
    ({ vm, network }) => {
      const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set;
      for (const [label, value] of [
        ['Virtual machine', vm],
        ['Network', network],
      ] as const) {
        const l = [...document.querySelectorAll('label')].find((x) => x.textContent?.trim() === label);
        const input = l?.htmlFor ? document.getElementById(l.htmlFor) : null;
        if (!(input instanceof HTMLInputElement)) throw new Error(`no field "${label}"`);
        input.focus();
        setValue?.call(input, value);
        input.dispatchEvent(new Event('input', { bubbles: true }));
      }
    },
    { vm, network },
  );
}

export async function measureMemory(browser: Browser, panelUrl: string, log: (s: string) => void): Promise<MemoryFigures> {
  const mock = await newMock(panelUrl, { latencyMs: 0 });
  const context = await mock.context(browser);
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    const heap = async () => {
      await page.waitForTimeout(300);
      for (let i = 0; i < 3; i++) await cdp.send('HeapProfiler.collectGarbage');
      const { usedSize } = await cdp.send('Runtime.getHeapUsage');
      return { used: usedSize, jitCode: await jitCodeSize(cdp) };
    };
    await page.goto(`${panelUrl}/`);
    await page.getByRole('button', { name: 'Look up' }).waitFor();
    let at10 = { used: 0, jitCode: 0 };
    for (let i = 1; i <= 200; i++) {
      const target = TARGETS[i % 2] ?? TARGETS[0];
      await typeInPage(page, target.vm, DEMO.network);
      await timeLookup(page, target);
      if (i === 10) at10 = await heap();
      if (i % 50 === 0) log(`  memory: ${i}/200 lookups`);
    }
    const at200 = await heap();
    await cdp.detach();
    const data10 = at10.used - at10.jitCode;
    const data200 = at200.used - at200.jitCode;
    return {
      heapAfter10: at10.used,
      heapAfter200: at200.used,
      growthPercent: ((at200.used - at10.used) / at10.used) * 100,
      jitCodeAfter10: at10.jitCode,
      jitCodeAfter200: at200.jitCode,
      dataGrowthPercent: ((data200 - data10) / data10) * 100,
    };
  } finally {
    await context.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Task following

export interface TaskFigures {
  durationMs: number;
  /** GET /tasks/task requests from the PATCH until the UI showed the end. */
  taskRequests: number;
  /** taskRequests per second of following (PATCH to "Completed" shown). */
  requestsPerSecond: number;
  /** "Completed" shown in the page minus the moment the mock completed the task. */
  detectionLagMs: number;
  /** GET /tasks/task requests after the UI showed "Completed" (waited `quietMs`). */
  requestsAfterEnd: number;
  quietMs: number;
}

export async function followTask(browser: Browser, panelUrl: string, durationMs: number): Promise<TaskFigures> {
  const quietMs = 5000;
  const mock = await newMock(panelUrl, { latencyMs: 0, taskDurationMs: durationMs });
  const context = await mock.context(browser);
  try {
    const page = await context.newPage();
    await page.goto(`${panelUrl}/?vm=${DEMO.vm}&network=${DEMO.network}`);
    const card = page.getByRole('region', { name: 'Network interface' });
    await card.getByText('1 Gbps').first().waitFor({ timeout: 30_000 });
    await page.getByRole('combobox', { name: 'Speed profile' }).click();
    await page.getByRole('option', { name: /^10 Gbps/ }).click();
    await page.getByRole('button', { name: 'Change speed profile' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Confirm' }).waitFor();
    await page.evaluate(() => {
      const w = window as unknown as { __completedAt?: number };
      const check = () => {
        if (w.__completedAt !== undefined) return;
        for (const el of document.querySelectorAll('body *')) {
          if (el.childElementCount === 0 && el.textContent?.trim() === 'Completed') {
            w.__completedAt = Date.now();
            observer.disconnect();
            return;
          }
        }
      };
      const observer = new MutationObserver(check);
      observer.observe(document.body, { childList: true, subtree: true, characterData: true });
    });
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await page.waitForFunction(() => (window as unknown as { __completedAt?: number }).__completedAt !== undefined, undefined, {
      timeout: durationMs + 60_000,
      polling: 100,
    });
    const shownAt = await page.evaluate(() => (window as unknown as { __completedAt?: number }).__completedAt ?? Number.NaN);
    const state = await mock.state();
    const finishedAt = state.tasks[0]?.finishedAtMs;
    if (finishedAt === undefined) throw new Error('the mock reports no finished task');
    await page.waitForTimeout(quietMs);
    const log = await mock.requests();
    const patchAt = log.find((r) => r.endpoint === UPDATE_ENDPOINT && r.method === 'PATCH')?.at ?? Number.NaN;
    const polls = log.filter((r) => r.endpoint === TASK_ENDPOINT && r.method === 'GET');
    const during = polls.filter((r) => r.at <= shownAt).length;
    return {
      durationMs,
      taskRequests: during,
      requestsPerSecond: during / ((shownAt - patchAt) / 1000),
      detectionLagMs: shownAt - finishedAt,
      requestsAfterEnd: polls.filter((r) => r.at > shownAt).length,
      quietMs,
    };
  } finally {
    await context.close();
  }
}

