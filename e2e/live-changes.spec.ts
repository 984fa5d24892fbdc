/**
 * The team's changes, live: two engineers (two browser contexts) on one interface. In demo mode each
 * browser has its own mock Katapult, so bob's context is given alice's demo session: the same
 * Katapult, as two colleagues share one.
 */
import type { Browser, Page } from '@playwright/test';
import { SESSION_COOKIE } from '../mock/db.ts';
import { DEMO } from '../mock/seed.ts';
import { expect, lookUp, test, watch, type MockControl } from './fixtures.ts';

const card = (page: Page) => page.getByRole('region', { name: 'Network interface' });
const recent = (page: Page) => page.getByRole('region', { name: 'Recent changes' });

async function changeTo(page: Page, option: RegExp) {
  await page.getByRole('combobox', { name: 'Speed profile' }).click();
  await page.getByRole('option', { name: option }).click();
  await page.getByRole('button', { name: 'Change speed profile' }).click();
  await page.getByRole('dialog', { name: 'Change the speed profile?' }).getByRole('button', { name: 'Confirm' }).click();
}

/** A colleague's browser on the same demo Katapult (alice's demo session). */
async function colleague(browser: Browser, mock: MockControl, baseURL: string | undefined, errors: string[]) {
  const context = await browser.newContext({ baseURL });
  await context.addCookies([{ name: SESSION_COOKIE, value: mock.session, url: baseURL ?? 'http://127.0.0.1' }]);
  const page = await context.newPage();
  watch(page, errors);
  return { page, close: () => context.close() };
}

test('bob sees alice’s change start, progress and end, then the new profile, without a reload', async ({ page, mock, browser, baseURL }) => {
  await mock.configure({ taskClock: 'manual', taskDurationMs: 10_000 });
  const errors: string[] = [];
  const bob = await colleague(browser, mock, baseURL, errors);
  try {
    await bob.page.goto(`/?vm=${DEMO.vm}&network=${DEMO.network}`);
    await expect(card(bob.page)).toContainText('1 Gbps');
    await expect(recent(bob.page)).toBeVisible();

    await page.goto('/');
    await lookUp(page, DEMO.vm, DEMO.network);
    await changeTo(page, /^10 Gbps/);

    // Bob's card was open before the change: it hears of it from the server.
    await expect(bob.page.getByRole('status').filter({ hasText: /^Changing to 10 Gbps: started by demo-user-[a-z]+-[0-9a-f]{2}/ })).toBeVisible();
    await expect(bob.page.getByRole('button', { name: 'Change speed profile' })).toBeDisabled();
    const bar = bob.page.getByRole('progressbar', { name: 'Task progress' });
    await expect(bar).toBeVisible();
    await mock.advanceTasks(5500);
    // Half way through the task's time: its progress, as Katapult reports it, is on the bar.
    await expect(bar).toHaveAttribute('aria-valuenow', /^[1-9]\d$/);

    await mock.advanceTasks(5000);
    await expect(bar).toBeHidden();
    await expect(bob.page.getByRole('status').filter({ hasText: /^Changing to/ })).toBeHidden();
    await expect(card(bob.page)).toContainText('10 Gbps');
    await expect(recent(bob.page).getByText('Completed', { exact: true }).first()).toBeVisible();
    await expect(bob.page.getByRole('button', { name: 'Change speed profile' })).toBeEnabled();
    expect(errors, 'uncaught errors or console errors in bob’s page').toEqual([]);
  } finally {
    await bob.close();
  }
});

test('bob, opening the card while alice’s change runs, sees who changes it, its progress and its end', async ({ page, mock, browser, baseURL }) => {
  await mock.configure({ taskClock: 'manual', taskDurationMs: 10_000 });
  await page.goto('/');
  await lookUp(page, DEMO.vm, DEMO.network);
  await changeTo(page, /^10 Gbps/);
  await expect(page.getByRole('progressbar', { name: 'Task progress' })).toBeVisible();

  const errors: string[] = [];
  const bob = await colleague(browser, mock, baseURL, errors);
  try {
    await bob.page.goto(`/?vm=${DEMO.vm}&network=${DEMO.network}`);
    await expect(bob.page.getByRole('status').filter({ hasText: /^Changing to 10 Gbps: started by demo-user-[a-z]+-[0-9a-f]{2}/ })).toBeVisible();
    await expect(bob.page.getByRole('progressbar', { name: 'Task progress' })).toBeVisible();
    await mock.advanceTasks(10_000);
    await expect(bob.page.getByRole('progressbar', { name: 'Task progress' })).toBeHidden();
    await expect(card(bob.page)).toContainText('10 Gbps');
    expect(errors, 'uncaught errors or console errors in bob’s page').toEqual([]);
  } finally {
    await bob.close();
  }
});

test('a link to a task Katapult no longer knows leaves the card usable, and says the task is unknown', async ({ page }) => {
  await page.goto(`/?vm=${DEMO.vm}&network=${DEMO.network}&task=task_NoLongerKnown01`);
  await expect(card(page)).toContainText('1 Gbps');
  await expect(page.getByRole('status').filter({ hasText: 'Katapult no longer knows its task' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Change speed profile' })).toBeEnabled();
});

test('the Audit view shows a colleague’s change appear, run and end, in place', async ({ page, mock, browser, baseURL }) => {
  await mock.configure({ taskClock: 'manual', taskDurationMs: 10_000 });
  const errors: string[] = [];
  const bob = await colleague(browser, mock, baseURL, errors);
  try {
    await bob.page.goto(`/?view=audit&interface=${DEMO.interface}`);
    const table = bob.page.getByRole('table', { name: 'Audit log' });
    await expect(table).toBeVisible();

    await page.goto('/');
    await lookUp(page, DEMO.vm, DEMO.network);
    await changeTo(page, /^10 Gbps/);
    await expect(page).toHaveURL(/[?&]task=task_/);
    const taskId = new URL(page.url()).searchParams.get('task')!;

    // The demo's audit database is shared by every test: the row is found by its task.
    const row = table.getByRole('row').filter({ hasText: taskId });
    await expect(row).toContainText('Running');
    await mock.advanceTasks(10_000);
    await expect(row).toContainText('Completed');
    expect(errors, 'uncaught errors or console errors in bob’s page').toEqual([]);
  } finally {
    await bob.close();
  }
});

test('“Change back” is offered only while the server says the change can be undone', async ({ page, mock, browser, baseURL }) => {
  await mock.configure({ taskClock: 'manual', taskDurationMs: 10_000 });
  const errors: string[] = [];
  const bob = await colleague(browser, mock, baseURL, errors);
  try {
    await page.goto('/');
    await lookUp(page, DEMO.vm, DEMO.network);
    await changeTo(page, /^10 Gbps/);
    await mock.advanceTasks(10_000);
    await expect(card(page)).toContainText('10 Gbps');

    await bob.page.goto(`/?vm=${DEMO.vm}&network=${DEMO.network}`);
    const back = recent(bob.page).getByRole('button', { name: 'Change back to 1 Gbps' });
    await expect(back.first()).toBeVisible();

    // A newer change runs: nothing can be changed back meanwhile, though the interface is still on 10 Gbps.
    await changeTo(page, /^100 Mbps —/);
    await expect(bob.page.getByRole('status').filter({ hasText: /^Changing to 100 Mbps/ })).toBeVisible();
    await expect(back).toHaveCount(0);

    await mock.advanceTasks(10_000);
    await expect(card(bob.page)).toContainText('100 Mbps');
    await expect(recent(bob.page).getByRole('button', { name: 'Change back to 10 Gbps' }).first()).toBeVisible();
    await expect(back).toHaveCount(0);
    expect(errors, 'uncaught errors or console errors in bob’s page').toEqual([]);
  } finally {
    await bob.close();
  }
});
