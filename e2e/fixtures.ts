/**
 * Every e2e test gets its own mock session (a cookie the server's demo mock keys its state on),
 * so tests run in parallel against one server without sharing state, and fails on any uncaught
 * page error or console error.
 */
import { test as base, expect, type APIRequestContext, type Page } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import { PANEL_HEADER } from '../protocol/panel.ts';
import type { Fault, LoggedRequest, MockConfig } from '../mock/db.ts';
import { SESSION_COOKIE } from '../mock/db.ts';

export class MockControl {
  constructor(
    private readonly request: APIRequestContext,
    readonly session: string,
  ) {}
  private headers() {
    // The controls answer only the panel's own calls: its header, and no foreign Origin.
    return { cookie: `${SESSION_COOKIE}=${this.session}`, [PANEL_HEADER]: '1' };
  }
  async reset(config: Partial<MockConfig> = {}) {
    await this.post('/__mock/reset', config);
  }
  async configure(config: Partial<MockConfig>) {
    await this.post('/__mock/config', config);
  }
  /** Moves the tasks' manual clock (`configure({ taskClock: 'manual' })`) on by `ms`. */
  async advanceTasks(ms: number) {
    await this.post('/__mock/advance', { ms });
  }
  async fault(...faults: Fault[]) {
    await this.post('/__mock/faults', faults);
  }
  async clearFaults() {
    const r = await this.request.delete('/__mock/faults', { headers: this.headers() });
    expect(r.ok()).toBe(true);
  }
  async requests(endpoint?: string, method?: string): Promise<LoggedRequest[]> {
    const r = await this.request.get('/__mock/requests', { headers: this.headers() });
    expect(r.ok()).toBe(true);
    const all = (await r.json()) as LoggedRequest[];
    return all.filter((x) => (!endpoint || x.endpoint === endpoint) && (!method || x.method === method));
  }
  async state(): Promise<{
    interfaces: { id: string; speedProfileId: string }[];
    tasks: { id: string; status: string }[];
  }> {
    const r = await this.request.get('/__mock/state', { headers: this.headers() });
    return r.json();
  }
  private async post(path: string, body: unknown) {
    const r = await this.request.post(path, { headers: this.headers(), data: body });
    expect(r.ok(), `${path} answered ${r.status()}`).toBe(true);
  }
}

export const ENDPOINTS = {
  lookup: '/virtual_machines/virtual_machine/networks/network/interface',
  interface: '/virtual_machine_network_interfaces/virtual_machine_network_interface',
  update: '/virtual_machine_network_interfaces/virtual_machine_network_interface/update_speed_profile',
  task: '/tasks/task',
  vm: '/virtual_machines/virtual_machine',
  vmInterfaces: '/virtual_machines/virtual_machine/network_interfaces',
  profiles: '/organizations/organization/network_speed_profiles',
} as const;

/** Chromium logs every non-2xx fetch as a console error; those are expected answers, not app errors. */
const BROWSER_NOISE = /^Failed to load resource: the server responded with a status of \d+/;

export const test = base.extend<{ mock: MockControl; pageErrors: string[] }>({
  mock: async ({ context, baseURL, request }, use) => {
    const session = randomUUID();
    await context.addCookies([{ name: SESSION_COOKIE, value: session, url: baseURL ?? 'http://127.0.0.1' }]);
    const mock = new MockControl(request, session);
    await mock.reset({ taskDurationMs: 1500 });
    await use(mock);
  },
  // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form
  pageErrors: async ({}, use) => {
    await use([]);
  },
  page: async ({ page, mock: _mock, pageErrors }, use) => {
    watch(page, pageErrors);
    await use(page);
    expect(pageErrors, 'uncaught errors or console errors in the page').toEqual([]);
  },
});

export function watch(page: Page, errors: string[]) {
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !BROWSER_NOISE.test(m.text())) errors.push(`console: ${m.text()}`);
  });
}

export { expect };

export async function lookUp(page: Page, vm: string, network: string) {
  await page.getByRole('textbox', { name: 'Virtual machine' }).fill(vm);
  await page.getByRole('textbox', { name: 'Network' }).fill(network);
  await page.getByRole('button', { name: 'Look up' }).click();
}

/**
 * For tests whose subject is a wait (retry pauses, countdowns): the page's clock stands still and
 * moves only when the test moves it, so a busy machine cannot stretch or skip a window. Call
 * before `page.goto`; the page loads with time running, then `stopPageClock` holds it.
 */
export async function installPageClock(page: Page) {
  await page.clock.install({ time: new Date('2026-12-01T09:00:00Z') });
}
export async function stopPageClock(page: Page) {
  await page.clock.pauseAt(new Date('2026-12-01T09:10:00Z'));
}

/**
 * Moves the page's clock forward in steps until `value` gives `expected`. A step never jumps over a
 * state that lasts longer than the step (the UI's shortest here is a 1-second countdown tick), so
 * each state in between can still be observed.
 */
export async function advanceUntil<T>(page: Page, value: () => Promise<T>, expected: T, stepMs = 500) {
  await expect
    .poll(
      async () => {
        const v = await value();
        if (v !== expected) await page.clock.runFor(stepMs);
        return v;
      },
      { timeout: 60_000, intervals: [20] },
    )
    .toBe(expected);
}

/**
 * Counts the requests the page itself sends whose path contains `path`. Katapult's own request log
 * (`mock.requests`) also holds the server's follower's looks, which go on whatever the page does.
 */
export function pageRequests(page: Page, path: string) {
  let n = 0;
  page.on('request', (r) => {
    if (new URL(r.url()).pathname.includes(path)) n += 1;
  });
  return () => n;
}
