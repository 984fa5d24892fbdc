/**
 * What the browser parts of the bench share: Debian's Chromium with the e2e tests' flags, fresh
 * contexts with the in-page helpers, and the demo mock's test controls for one session.
 */
import { chromium, type Browser, type BrowserContext } from '@playwright/test';
import { SESSION_COOKIE, type LoggedRequest, type MockConfig } from '../mock/db.ts';
import { installA11y } from './a11y.ts';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export const launch = (): Promise<Browser> => chromium.launch({ executablePath: CHROMIUM_PATH, args: ARGS });

/**
 * The init scripts every bench page gets. tsx compiles with esbuild's keepNames, which wraps the
 * functions handed to the page in `__name(…)`: define it first (a no-op), or every probe throws.
 */
export async function prepareContext(context: BrowserContext): Promise<BrowserContext> {
  await context.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  await context.addInitScript(installA11y);
  return context;
}

export const freshContext = async (browser: Browser) => prepareContext(await browser.newContext());

/** The mock's test controls, for one session (the mock keys its state by a cookie). */
export class Mock {
  constructor(
    readonly base: string,
    readonly session: string,
  ) {}
  /** Sent as the panel sends them: the server only takes test controls from its own origin. */
  private headers(json = false): Record<string, string> {
    return {
      cookie: `${SESSION_COOKIE}=${this.session}`,
      origin: this.base,
      'x-katapult-panel': '1',
      ...(json ? { 'content-type': 'application/json' } : {}),
    };
  }
  async reset(config: Partial<MockConfig>) {
    const r = await fetch(`${this.base}/__mock/reset`, { method: 'POST', headers: this.headers(true), body: JSON.stringify(config) });
    // 404: the server did not mount the mock's test controls (the test suite's switch for them).
    if (!r.ok) throw new Error(`/__mock/reset answered ${r.status}: the bench needs the demo mock's test controls`);
  }
  async requests(): Promise<LoggedRequest[]> {
    return (await (await fetch(`${this.base}/__mock/requests`, { headers: this.headers() })).json()) as LoggedRequest[];
  }
  /** The session's cookie on the panel's origin, and on `also` (the plain reference's, whose server forwards its /api calls). */
  async addCookie(context: BrowserContext, also?: string) {
    await context.addCookies([this.base, ...(also ? [also] : [])].map((url) => ({ name: SESSION_COOKIE, value: this.session, url })));
  }
  async context(browser: Browser): Promise<BrowserContext> {
    const context = await freshContext(browser);
    await this.addCookie(context);
    return context;
  }
}

let sessions = 0;
export const newMock = async (base: string, config: Partial<MockConfig>) => {
  const mock = new Mock(base, `bench-${process.pid}-${Date.now()}-${++sessions}`);
  await mock.reset(config);
  return mock;
};
