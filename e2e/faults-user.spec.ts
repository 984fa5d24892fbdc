/**
 * Fault matrix, the user: impatient clicks, held keys, leaving mid-task, two tabs. Already covered
 * elsewhere: a double click on Confirm (e2e/change-speed.spec.ts), reload mid-task (same file).
 */
import type { Page } from '@playwright/test';
import { DEMO } from '../mock/seed.ts';
import { ENDPOINTS, expect, lookUp, test, watch } from './fixtures.ts';

const card = (page: Page) => page.getByRole('region', { name: 'Network interface' });

async function chooseTenGbps(page: Page) {
  await page.getByRole('combobox', { name: 'Speed profile' }).click();
  await page.getByRole('option', { name: /^10 Gbps/ }).click();
}

test('a triple click on Look up sends one lookup', async ({ page, mock }) => {
  await mock.fault({ endpoint: ENDPOINTS.lookup, delayMs: 600, times: 1 });
  await page.goto('/');
  await page.getByRole('textbox', { name: 'Virtual machine' }).fill(DEMO.vm);
  await page.getByRole('textbox', { name: 'Network' }).fill(DEMO.network);
  await page.getByRole('button', { name: 'Look up' }).click({ clickCount: 3 });
  await expect(card(page)).toContainText(DEMO.mac);
  expect(await mock.requests(ENDPOINTS.lookup)).toHaveLength(1);
});

test('Enter held down in the Network field sends one lookup', async ({ page, mock }) => {
  await mock.fault({ endpoint: ENDPOINTS.lookup, delayMs: 600, times: 1 });
  await page.goto('/');
  await page.getByRole('textbox', { name: 'Virtual machine' }).fill(DEMO.vm);
  const network = page.getByRole('textbox', { name: 'Network' });
  await network.fill(DEMO.network);
  await network.focus();
  for (let i = 0; i < 12; i++) await page.keyboard.down('Enter'); // auto-repeat sends repeated keydowns
  await page.keyboard.up('Enter');
  await expect(card(page)).toContainText(DEMO.mac);
  expect(await mock.requests(ENDPOINTS.lookup)).toHaveLength(1);
});

test('a triple click on Change speed profile opens one dialog, and a triple click on Confirm sends one PATCH', async ({
  page,
  mock,
}) => {
  await mock.fault({ endpoint: ENDPOINTS.update, method: 'PATCH', delayMs: 600, times: 1 });
  await page.goto('/');
  await lookUp(page, DEMO.vm, DEMO.network);
  await expect(card(page)).toContainText('1 Gbps');
  await chooseTenGbps(page);
  await page.getByRole('button', { name: 'Change speed profile' }).click({ clickCount: 3 });
  await expect(page.getByRole('dialog')).toHaveCount(1);
  await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click({ clickCount: 3 });
  await expect(page.getByRole('alert').getByText('Completed', { exact: true })).toBeVisible();
  await expect(card(page)).toContainText('10 Gbps');
  expect(await mock.requests(ENDPOINTS.update, 'PATCH')).toHaveLength(1);
});

test('Enter held down on Confirm sends one PATCH', async ({ page, mock }) => {
  await mock.fault({ endpoint: ENDPOINTS.update, method: 'PATCH', delayMs: 600, times: 1 });
  await page.goto('/');
  await lookUp(page, DEMO.vm, DEMO.network);
  await expect(card(page)).toContainText('1 Gbps');
  await chooseTenGbps(page);
  await page.getByRole('button', { name: 'Change speed profile' }).click();
  // Cancel has focus when the dialog opens: Confirm is reached on purpose.
  await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).focus();
  await expect(page.getByRole('dialog').getByRole('button', { name: 'Confirm' })).toBeFocused();
  for (let i = 0; i < 12; i++) await page.keyboard.down('Enter');
  await page.keyboard.up('Enter');
  await expect(page.getByRole('alert').getByText('Completed', { exact: true })).toBeVisible();
  expect(await mock.requests(ENDPOINTS.update, 'PATCH')).toHaveLength(1);
});

test('navigating away mid-task and coming back resumes following it with no second PATCH', async ({ page, mock }) => {
  await mock.configure({ taskClock: 'manual', taskDurationMs: 6000 });
  await page.goto('/');
  await lookUp(page, DEMO.vm, DEMO.network);
  await expect(card(page)).toContainText('1 Gbps');
  await chooseTenGbps(page);
  await page.getByRole('button', { name: 'Change speed profile' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
  await expect(page.getByRole('progressbar', { name: 'Task progress' })).toBeVisible();
  await expect(page).toHaveURL(/task=task_/);
  await page.goto('/healthz');
  await page.goBack();
  await expect(page).toHaveURL(/task=task_/);
  await expect(page.getByRole('progressbar', { name: 'Task progress' })).toBeVisible();
  await mock.advanceTasks(6000);
  await expect(page.getByRole('alert').getByText('Completed', { exact: true })).toBeVisible();
  await expect(card(page)).toContainText('10 Gbps');
  expect(await mock.requests(ENDPOINTS.update, 'PATCH')).toHaveLength(1);
  const gets = (await mock.requests(ENDPOINTS.task)).length;
  await page.waitForTimeout(2500); // a quiet period: nothing after the task is terminal
  expect(await mock.requests(ENDPOINTS.task)).toHaveLength(gets);
});

test('two tabs changing the same interface: the second is told the interface already has it, with a refreshed card', async ({ page, mock, context }) => {
  await mock.configure({ taskDurationMs: 1000 });
  const second = await context.newPage();
  const secondErrors: string[] = [];
  watch(second, secondErrors);
  for (const p of [page, second]) {
    await p.goto(`/?vm=${DEMO.vm}&network=${DEMO.network}`);
    await expect(card(p)).toContainText('1 Gbps');
    await chooseTenGbps(p);
    await p.getByRole('button', { name: 'Change speed profile' }).click();
    await expect(p.getByRole('dialog')).toBeVisible();
  }
  await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
  await expect(page.getByRole('alert').getByText('Completed', { exact: true })).toBeVisible();
  await expect(card(page)).toContainText('10 Gbps');

  // The second page's own read, seen in its browser: the mock's log also holds the server's audit
  // read of the interface before every PATCH, which would make a count there pass without a refresh.
  const refreshed = second.waitForRequest((r) => r.method() === 'GET' && new URL(r.url()).pathname === `/api${ENDPOINTS.interface}`);
  await second.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
  // A 422 already assigned is information, not a failure.
  const info = second.getByRole('status').filter({ hasText: 'speed_profile_already_assigned' });
  await expect(info).toContainText('The interface already has 10 Gbps');
  await expect(card(second)).toContainText('10 Gbps');
  await refreshed;
  expect(await mock.requests(ENDPOINTS.update, 'PATCH')).toHaveLength(2);
  expect(secondErrors).toEqual([]);
});
