/** Links made for tickets: the interface's link, never a task's; a task's link names its profile. */
import type { Page } from '@playwright/test';
import { DEMO } from '../mock/seed.ts';
import { expect, lookUp, test } from './fixtures.ts';

const card = (page: Page) => page.getByRole('region', { name: 'Network interface' });

async function startChange(page: Page) {
  await page.goto('/');
  await lookUp(page, DEMO.vm, DEMO.network);
  await expect(card(page)).toContainText('1 Gbps');
  await page.getByRole('combobox', { name: 'Speed profile' }).fill('10gbps');
  await page.getByRole('button', { name: 'Change speed profile' }).click();
  await page.getByRole('dialog', { name: 'Change the speed profile?' }).getByRole('button', { name: 'Confirm' }).click();
  await expect(page.getByRole('progressbar', { name: 'Task progress' })).toBeVisible();
  await expect(page).toHaveURL(/[?&]task=task_/);
}

test('Copy link gives ?vm=&network= without the task, and &task= leaves the address bar once the task has ended', async ({ page, mock, context, baseURL }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await mock.configure({ taskClock: 'manual', taskDurationMs: 4000 });
  await startChange(page);
  await card(page).getByRole('button', { name: 'Copy link' }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`${baseURL}/?vm=${DEMO.vm}&network=${DEMO.network}`);

  await mock.advanceTasks(4000);
  await expect(page.getByRole('alert').getByText('Completed', { exact: true })).toBeVisible();
  await expect(page).toHaveURL(`${baseURL}/?vm=${DEMO.vm}&network=${DEMO.network}`);
  // The ended task stays listed with its result.
  await expect(page.getByRole('heading', { name: /^Changed to 10 Gbps/ })).toBeVisible();
});

test('a lookup from an IP address copies its ?ip= link', async ({ page, context, baseURL }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto(`/?ip=${DEMO.ipv4}`);
  await expect(card(page)).toContainText(DEMO.mac);
  await card(page).getByRole('button', { name: 'Copy link' }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`${baseURL}/?ip=${DEMO.ipv4}`);
});

test('a link with a task, opened in another tab, names the profile it goes to', async ({ page, mock, context }) => {
  await mock.configure({ taskClock: 'manual', taskDurationMs: 4000 });
  await startChange(page);
  const link = page.url();

  const other = await context.newPage();
  await other.goto(link);
  await expect(other.getByRole('heading', { name: /^Changing to 10 Gbps on web-01/ })).toBeVisible();
  await mock.advanceTasks(4000);
  await expect(other.getByRole('heading', { name: /^Changed to 10 Gbps on web-01/ })).toBeVisible();
  await expect(other).not.toHaveURL(/[?&]task=/);
});
