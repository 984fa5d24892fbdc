/**
 * The console screen's behaviours: focus ring for keyboard users only, the current network marked
 * however it was given, the change attached to the card's speed-profile row, the profile list
 * inside the viewport, the activity log wording failures as failures, a reload during a task.
 */
import type { Page } from '@playwright/test';
import { DEMO } from '../mock/seed.ts';
import { ENDPOINTS, expect, lookUp, test } from './fixtures.ts';

const card = (page: Page) => page.getByRole('region', { name: 'Network interface' });
const heading = (page: Page) => card(page).getByRole('heading', { name: 'Network interface' });
const combobox = (page: Page) => page.getByRole('combobox', { name: 'Speed profile' });
const entries = (page: Page) =>
  page.getByRole('region', { name: 'Activity this session' }).getByRole('list', { name: 'Activity entries' }).getByRole('listitem');

async function startChange(page: Page, option: RegExp) {
  await combobox(page).click();
  await page.getByRole('option', { name: option }).click();
  await page.getByRole('button', { name: 'Change speed profile' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
  await expect(page.getByRole('dialog')).toBeHidden();
}

test('moves focus to the card’s heading, with a ring for keyboard users only', async ({ page }) => {
  await page.goto('/');
  await lookUp(page, DEMO.vm, DEMO.network);
  await expect(heading(page)).toBeFocused();
  expect(await heading(page).evaluate((el) => el.matches(':focus-visible'))).toBe(false);

  await page.getByRole('textbox', { name: 'Network' }).fill(DEMO.privateNetwork);
  await page.getByRole('textbox', { name: 'Network' }).press('Enter');
  await expect(card(page)).toContainText('02:00:ac:1f:4e:02');
  await expect(heading(page)).toBeFocused();
  expect(await heading(page).evaluate((el) => el.matches(':focus-visible'))).toBe(true);
});

test('marks the current network among the VM’s networks, given as permalink or as id', async ({ page }) => {
  const publicNetwork = (p: Page) => p.getByRole('group', { name: 'Networks of this VM' }).getByRole('button', { name: /Public Network/ });
  await page.goto(`/?vm=${DEMO.vm}&network=${DEMO.networkPermalink}`);
  await expect(publicNetwork(page)).toHaveAttribute('aria-pressed', 'true');
  await page.goto(`/?vm=${DEMO.vm}&network=${DEMO.network}`);
  await expect(publicNetwork(page)).toHaveAttribute('aria-pressed', 'true');
});

test('shows the change in the card’s speed-profile row: changing to X…, then the new profile', async ({ page, mock }) => {
  await mock.configure({ taskClock: 'manual', taskDurationMs: 6000 });
  await page.goto('/');
  await lookUp(page, DEMO.vm, DEMO.network);
  await expect(card(page)).toContainText('1 Gbps');
  // "Speed profile" is said once in the card: the row's label; the combobox is named by it, not labelled again.
  await expect(card(page).getByText('Speed profile', { exact: true })).toHaveCount(1);
  await startChange(page, /^10 Gbps/);
  await expect(card(page).getByRole('status').filter({ hasText: 'Changing to 10 Gbps…' })).toBeVisible();
  await mock.advanceTasks(6000);
  await expect(card(page).getByRole('status').filter({ hasText: 'Changed to 10 Gbps' })).toBeVisible();
  await expect(card(page)).toContainText('10 Gbps (up 10 Gbit/s, down 10 Gbit/s)');
});

test('opens the profile list inside the viewport, above the field when there is no room below, and keeps the highlighted option in view', async ({ page }) => {
  await page.setViewportSize({ width: 1000, height: 600 });
  await page.goto('/');
  await lookUp(page, DEMO.vm, DEMO.network);
  await expect(card(page)).toContainText('1 Gbps');
  // The card's later parts (the profiles, the recent changes) are in before the field is placed.
  await expect(combobox(page)).toBeEnabled();
  await expect(page.getByRole('region', { name: 'Recent changes' })).toBeVisible();
  await expect(page.getByLabel('Loading recent changes')).toHaveCount(0);
  // Room above the panel: the speed-profile row is high on the card, so without it the page is too short to bring the field down.
  await page.evaluate(() => (document.body.style.paddingTop = `${window.innerHeight}px`));
  // Put the field near the bottom of the window, placing it again if anything moved it.
  await expect
    .poll(() =>
      combobox(page).evaluate((el) => {
        window.scrollBy(0, el.getBoundingClientRect().bottom - window.innerHeight + 60);
        return Math.round(el.getBoundingClientRect().bottom - window.innerHeight);
      }),
    )
    .toBe(-60);
  // Opened from the keyboard, which never scrolls a field already in view: a click that has to retry
  // scrolls its target to the window's centre, and the field would no longer be near the bottom.
  await combobox(page).press('ArrowDown');
  const listbox = page.getByRole('listbox');
  await expect(listbox).toBeVisible();
  const field = await combobox(page).boundingBox();
  const list = await listbox.boundingBox();
  expect(list && field && list.y + list.height).toBeLessThanOrEqual(field?.y ?? 0);
  await expect(listbox).toBeInViewport({ ratio: 1 });

  // ArrowUp from the first option wraps to the last, at the far end of the list: it is scrolled into view.
  await combobox(page).press('ArrowUp');
  await expect(combobox(page)).toHaveAttribute('aria-activedescendant', /.+/);
  const highlightedId = await combobox(page).getAttribute('aria-activedescendant');
  const highlighted = listbox.getByRole('option').and(page.locator(`[id="${highlightedId}"]`));
  await expect(highlighted).toBeInViewport();
});

test('words a failed speed change as a failure in the activity log', async ({ page, mock }) => {
  await mock.configure({ taskDurationMs: 1500, taskOutcome: 'fail' });
  await page.goto('/');
  await lookUp(page, DEMO.vm, DEMO.network);
  await expect(card(page)).toContainText('1 Gbps');
  await startChange(page, /^10 Gbps/);
  await expect(page.getByRole('alert').filter({ hasText: 'Failed' })).toBeVisible();
  const change = entries(page).filter({ hasText: '1 Gbps → 10 Gbps' });
  await expect(change).toContainText('Speed change failed');
  await expect(change).not.toContainText('Changed the speed profile');
});

test('a reload during a task keeps its context: the target profile, the task in view, one lookup in the log', async ({ page, mock }) => {
  await mock.configure({ taskClock: 'manual' });
  await page.setViewportSize({ width: 1000, height: 600 });
  await page.goto('/');
  await lookUp(page, DEMO.vm, DEMO.network);
  await expect(card(page)).toContainText('1 Gbps');
  await startChange(page, /^10 Gbps/);
  await expect(page.getByRole('progressbar', { name: 'Task progress' })).toBeVisible();
  await expect(entries(page)).toHaveCount(2);

  // The lookup answers late after the reload: the card then grows above the task, which must stay in view.
  await mock.fault({ endpoint: ENDPOINTS.lookup, delayMs: 2000, times: 1 });
  await page.reload();
  const task = page.getByRole('region', { name: /Changing to 10 Gbps on eth0 of web-01 \(was 1 Gbps\)/ });
  await expect(task).toBeVisible();
  await expect(card(page).getByRole('status').filter({ hasText: 'Changing to 10 Gbps…' })).toBeVisible();
  await expect(task).toBeInViewport();
  await expect(card(page)).toContainText('1 Gbps');
  await expect(entries(page)).toHaveCount(2);
  expect(await mock.requests(ENDPOINTS.update, 'PATCH')).toHaveLength(1);
});

test('the demo data shows a VM without IP addresses and a VM whose speed changes fail', async ({ page }) => {
  await page.goto('/');
  await lookUp(page, DEMO.noIpsVm, DEMO.networkPermalink);
  await expect(card(page)).toContainText('spare-05');
  await expect(card(page)).toContainText(/IP addresses\s*none/);
  await lookUp(page, DEMO.failingVm, DEMO.networkPermalink);
  await expect(card(page)).toContainText('flaky-06');
  await expect(card(page)).toContainText('1 Gbps');
  await startChange(page, /^10 Gbps/);
  await expect(page.getByRole('alert').filter({ hasText: 'Failed' })).toBeVisible({ timeout: 30_000 });
  await expect(card(page).getByRole('status').filter({ hasText: 'The last change failed' })).toBeVisible();
});
