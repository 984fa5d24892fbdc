/**
 * WCAG 2.2 AA: axe on every state of the journey, in light and dark; the journey by keyboard alone;
 * dark mode rendering; a 360 px frame and 200% zoom without horizontal scrolling.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from '@playwright/test';
import { DEMO } from '../mock/seed.ts';
import { ENDPOINTS, expect, lookUp, test, type MockControl } from './fixtures.ts';

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

async function expectNoAxeViolations(page: Page) {
  // axe reads colours as painted: a control mid-transition (a button just enabled) shows neither its
  // start nor its end colours. Wait for every finite CSS transition and animation to end.
  await page.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((a) => a.effect?.getComputedTiming().iterations !== Infinity)
        .map((a) => a.finished.catch(() => undefined)),
    ),
  );
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  const readable = violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary ?? ''}`),
  }));
  expect(readable, 'axe violations').toEqual([]);
}

const card = (page: Page) => page.getByRole('region', { name: 'Network interface' });

/**
 * The card is whole once its change button is enabled (the profiles have loaded, no task holds it).
 * The button's colour transition starts then, so a check made earlier can meet it mid-way.
 */
const cardSettled = (page: Page) => expect(page.getByRole('button', { name: 'Change speed profile' })).toBeEnabled();

async function showCard(page: Page) {
  await page.goto('/');
  await lookUp(page, DEMO.vm, DEMO.network);
  await expect(card(page)).toContainText('1 Gbps');
  await cardSettled(page);
}

async function openDialog(page: Page) {
  await showCard(page);
  await page.getByRole('combobox', { name: 'Speed profile' }).click();
  await page.getByRole('option', { name: /^10 Gbps/ }).click();
  await page.getByRole('button', { name: 'Change speed profile' }).click();
  await expect(page.getByRole('dialog')).toBeVisible();
}

async function startChange(page: Page) {
  await openDialog(page);
  await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
  await expect(page.getByRole('dialog')).toBeHidden();
}

const STATES: { name: string; reach: (page: Page, mock: MockControl) => Promise<void> }[] = [
  {
    name: 'the empty form',
    reach: async (page) => {
      await page.goto('/');
      await expect(page.getByRole('button', { name: 'Look up' })).toBeVisible();
      await expect(page.getByText('Demo data')).toBeVisible();
    },
  },
  { name: 'the interface card', reach: showCard },
  {
    name: 'a 404 (virtual_machine_not_found)',
    reach: async (page) => {
      await page.goto('/');
      await lookUp(page, 'vm_DoesNotExist0001', DEMO.network);
      await expect(page.getByRole('alert')).toContainText('virtual_machine_not_found');
    },
  },
  {
    name: 'a 429 (rate_limit_reached)',
    reach: async (page, mock) => {
      await mock.fault({ endpoint: ENDPOINTS.lookup, status: 429, code: 'rate_limit_reached', detail: { total_permitted: 600 } });
      await page.goto('/');
      await lookUp(page, DEMO.vm, DEMO.network);
      await expect(page.getByRole('alert')).toContainText('rate_limit_reached');
    },
  },
  {
    name: 'a 503 (service_unavailable)',
    reach: async (page, mock) => {
      await mock.fault({ endpoint: ENDPOINTS.lookup, status: 503, code: 'service_unavailable' });
      await page.goto('/');
      await lookUp(page, DEMO.vm, DEMO.network);
      await expect(page.getByRole('alert')).toContainText('service_unavailable');
    },
  },
  {
    name: 'an unexpected HTML answer',
    reach: async (page, mock) => {
      await mock.fault({
        endpoint: ENDPOINTS.lookup,
        status: 502,
        raw: '<html><body><h1>502 Bad Gateway</h1></body></html>',
        contentType: 'text/html',
      });
      await page.goto('/');
      await lookUp(page, DEMO.vm, DEMO.network);
      await expect(page.getByRole('alert')).toContainText('502');
    },
  },
  { name: 'the change dialog', reach: openDialog },
  {
    name: 'a running task',
    reach: async (page, mock) => {
      await mock.configure({ taskClock: 'manual' });
      await startChange(page);
      await expect(page.getByRole('progressbar', { name: 'Task progress' })).toBeVisible();
      await mock.advanceTasks(500); // past "Queued": Katapult has started it
      await expect(page.getByRole('status').filter({ hasText: 'Running' })).toBeVisible();
    },
  },
  {
    name: 'a completed task',
    reach: async (page) => {
      await startChange(page);
      await expect(page.getByRole('alert').getByText('Completed', { exact: true })).toBeVisible();
      await expect(card(page)).toContainText('10 Gbps');
      await cardSettled(page);
    },
  },
  {
    name: 'a failed task',
    reach: async (page, mock) => {
      await mock.configure({ taskOutcome: 'fail' });
      await startChange(page);
      await expect(page.getByRole('alert').filter({ hasText: 'Failed' })).toBeVisible();
      await cardSettled(page);
    },
  },
];

for (const scheme of ['light', 'dark'] as const) {
  test.describe(`in ${scheme} mode`, () => {
    test.use({ colorScheme: scheme });
    for (const state of STATES) {
      test(`has no axe violations on ${state.name}`, async ({ page, mock }) => {
        // axe walks every node of the MUI tree: on a shared 2-core machine that can outlast the default test time.
        test.slow();
        await state.reach(page, mock);
        await expectNoAxeViolations(page);
      });
    }
  });
}

test.describe('dark mode', () => {
  test.use({ colorScheme: 'dark' });
  test('follows prefers-color-scheme: dark surfaces and light text', async ({ page }) => {
    await showCard(page);
    const colours = await page.evaluate(() => {
      const body = getComputedStyle(document.body);
      return { background: body.backgroundColor, text: body.color, scheme: getComputedStyle(document.documentElement).colorScheme };
    });
    const lum = (rgb: string) => (rgb.match(/\d+/g) ?? []).slice(0, 3).map(Number).reduce((a, b) => a + b, 0) / 3;
    expect(lum(colours.background)).toBeLessThan(60);
    expect(lum(colours.text)).toBeGreaterThan(180);
    expect(colours.scheme).toBe('dark');
  });
});

/** Presses Tab until `target` has focus; fails after `max` presses. */
async function tabTo(page: Page, target: Locator, max = 40) {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  await expect(target).toBeFocused();
}

async function expectVisibleFocusRing(target: Locator) {
  const ring = await target.evaluate((el) => {
    const s = getComputedStyle(el);
    return { outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2, shadow: s.boxShadow !== 'none' };
  });
  expect(ring.outline || ring.shadow, 'a visible focus indicator').toBe(true);
}

test('the whole journey works with the keyboard alone', async ({ page, mock }) => {
  await mock.configure({ taskClock: 'manual' });
  await page.goto('/');
  const vm = page.getByRole('textbox', { name: 'Virtual machine' });
  const network = page.getByRole('textbox', { name: 'Network' });
  const lookupButton = page.getByRole('button', { name: 'Look up' });
  await expect(lookupButton).toBeVisible();

  // Tab order: the header's view tabs, then the VM field, the network after it, then "Look up".
  await tabTo(page, vm, 3);
  await page.keyboard.type(DEMO.vm);
  await tabTo(page, network, 3);
  await page.keyboard.type(DEMO.network);
  await tabTo(page, lookupButton, 3);
  await expectVisibleFocusRing(lookupButton);
  await page.keyboard.press('Enter');

  // Focus moves to the card's heading once the interface is shown.
  await expect(card(page)).toContainText('1 Gbps');
  await expect(page.getByRole('heading', { level: 2, name: 'Network interface' })).toBeFocused();

  // Pick a profile from the listbox with arrow keys.
  const select = page.getByRole('combobox', { name: 'Speed profile' });
  await tabTo(page, select);
  await page.keyboard.press('ArrowDown');
  const option = page.getByRole('option', { name: /^10 Gbps/ });
  await expect(page.getByRole('listbox')).toBeVisible();
  // The option is either focused (a select's menu) or the combobox's active descendant (an autocomplete).
  const isActive = () =>
    option.evaluate((el) => el === document.activeElement || document.activeElement?.getAttribute('aria-activedescendant') === el.id);
  for (let i = 0; i < 12 && !(await isActive()); i++) {
    await page.keyboard.press('ArrowDown');
  }
  expect(await isActive(), 'the 10 Gbps option is reached with the arrow keys').toBe(true);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('listbox')).toBeHidden();
  await expect(select).toBeFocused();

  // Into the dialog (Cancel has focus: confirming is a deliberate move), out with Escape (focus comes back), in again and confirm.
  const change = page.getByRole('button', { name: 'Change speed profile' });
  await tabTo(page, change, 3);
  await expectVisibleFocusRing(change);
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(change).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(dialog.getByRole('button', { name: 'Confirm' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('heading', { level: 2, name: /^Chang(ing|ed) to 10 Gbps/ })).toBeFocused();

  // The task's progress is announced, and focus lands on the result when it ends.
  await expect(page.getByRole('status').filter({ hasText: /Queued|Running|Asking/ }).first()).toBeAttached();
  await mock.advanceTasks(1500);
  const result = page.getByRole('alert').filter({ hasText: 'Completed' });
  await expect(result).toBeFocused();
  await expect(card(page)).toContainText('10 Gbps');
  expect(await mock.requests(ENDPOINTS.update, 'PATCH')).toHaveLength(1);
});

async function expectNoHorizontalScroll(page: Page) {
  const { scrollWidth, clientWidth } = await page.evaluate(() => {
    const el = document.scrollingElement ?? document.documentElement;
    return { scrollWidth: el.scrollWidth, clientWidth: el.clientWidth };
  });
  expect(scrollWidth, 'page width').toBeLessThanOrEqual(clientWidth);
}

test.describe('at 360 px wide', () => {
  test.use({ viewport: { width: 360, height: 740 } });
  test('the card, dialog and task fit without horizontal scrolling', async ({ page }) => {
    await page.goto('/');
    await expectNoHorizontalScroll(page);
    await openDialog(page);
    await expectNoHorizontalScroll(page);
    await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
    await expect(page.getByRole('alert').getByText('Completed', { exact: true })).toBeVisible();
    await expectNoHorizontalScroll(page);
  });
});

test.describe('at 200% zoom', () => {
  // A 1280 px wide window at 200% lays out as 640 CSS px with doubled text: the same as browser zoom.
  test.use({ viewport: { width: 640, height: 400 }, deviceScaleFactor: 2 });
  test('the card and errors fit without horizontal scrolling', async ({ page }) => {
    await showCard(page);
    await expectNoHorizontalScroll(page);
    await lookUp(page, 'vm_DoesNotExist0001', DEMO.network);
    await expect(page.getByRole('alert')).toContainText('virtual_machine_not_found');
    await expectNoHorizontalScroll(page);
  });
});
