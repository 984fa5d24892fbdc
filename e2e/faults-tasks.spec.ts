/**
 * Fault matrix, tasks and the PATCH: odd tasks are followed calmly, nothing is sent twice, and
 * nothing is sent once the task is terminal. Already covered elsewhere (not repeated here):
 * a failing task, 429 while polling, reload mid-task, no polls after completion, the lock
 * (e2e/change-speed.spec.ts).
 */
import type { Page } from '@playwright/test';
import { DEMO } from '../mock/seed.ts';
import { ENDPOINTS, expect, lookUp, test, type MockControl } from './fixtures.ts';

const card = (page: Page) => page.getByRole('region', { name: 'Network interface' });
const progress = (page: Page) => page.getByRole('progressbar', { name: 'Task progress' });

async function startChange(page: Page, option = /^10 Gbps/) {
  await page.goto('/');
  await lookUp(page, DEMO.vm, DEMO.network);
  await expect(card(page)).toContainText('1 Gbps');
  await page.getByRole('combobox', { name: 'Speed profile' }).click();
  await page.getByRole('option', { name: option }).click();
  await page.getByRole('button', { name: 'Change speed profile' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
}

const patches = async (mock: MockControl) => (await mock.requests(ENDPOINTS.update, 'PATCH')).length;
const taskGets = async (mock: MockControl) => (await mock.requests(ENDPOINTS.task)).length;

/** Waits a little longer than the slowest poll interval would and checks that nothing more was asked. */
async function expectNoMoreTaskRequests(page: Page, mock: MockControl) {
  const settled = await taskGets(mock);
  await page.waitForTimeout(2500); // a quiet period: proving an absence needs one
  expect(await taskGets(mock)).toBe(settled);
}

test('a task that never finishes keeps being followed calmly; Stop following leaves the server’s view of the running change', async ({ page, mock }) => {
  await mock.configure({ taskOutcome: 'stuck' });
  await startChange(page);
  await expect(progress(page)).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: /^Running/ })).toBeVisible();
  await expect.poll(() => taskGets(mock)).toBeGreaterThanOrEqual(3);
  await expect(page.getByRole('alert').getByText('Completed', { exact: true })).toHaveCount(0);
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect(card(page)).toContainText('1 Gbps');
  await page.getByRole('button', { name: 'Stop following' }).click();
  await expect(page.getByRole('button', { name: 'Stop following' })).toHaveCount(0);
  // The server still follows the change (until TASK_FOLLOW_MINUTES): the card shows it as the change
  // holding the interface, as any colleague's panel does, and the control stays locked.
  await expect(page.getByRole('status').filter({ hasText: /^Changing to 10 Gbps: started by/ })).toBeVisible();
  await expect(page.getByRole('combobox', { name: 'Speed profile' })).toBeDisabled();
  expect(await patches(mock)).toBe(1);
});

test('a task whose progress goes backwards shows the progress it is given and still completes', async ({ page, mock }) => {
  await mock.configure({ taskClock: 'manual', taskProgress: 'backwards', taskDurationMs: 4000 });
  await startChange(page);
  await expect(progress(page)).toBeVisible();
  await mock.advanceTasks(2000);
  await expect(progress(page)).toBeVisible();
  await mock.advanceTasks(2000);
  await expect(page.getByRole('alert').getByText('Completed', { exact: true })).toBeVisible();
  await expect(card(page)).toContainText('10 Gbps');
  expect(await patches(mock)).toBe(1);
  await expectNoMoreTaskRequests(page, mock);
});

test('a task without progress shows an indeterminate bar and no percentage, then completes', async ({ page, mock }) => {
  await mock.configure({ taskClock: 'manual', taskProgress: 'absent', taskDurationMs: 5000 });
  await startChange(page);
  await expect(progress(page)).toBeVisible();
  await expect(progress(page)).not.toHaveAttribute('aria-valuenow', /.*/);
  await expect(page.getByRole('status').filter({ hasText: /^Running|^Queued/ })).not.toContainText('%');
  await mock.advanceTasks(5000);
  await expect(page.getByRole('alert').getByText('Completed', { exact: true })).toBeVisible();
  await expect(card(page)).toContainText('10 Gbps');
  expect(await patches(mock)).toBe(1);
  await expectNoMoreTaskRequests(page, mock);
});

test('a task already completed in the PATCH answer is shown Completed without a single task request', async ({ page, mock }) => {
  await mock.configure({ taskDurationMs: 0 });
  await startChange(page);
  await expect(page.getByRole('alert').getByText('Completed', { exact: true })).toBeVisible();
  await expect(card(page)).toContainText('10 Gbps');
  expect(await patches(mock)).toBe(1);
  expect(await taskGets(mock)).toBe(0);
  await expectNoMoreTaskRequests(page, mock);
});

test('task_not_found while polling stops the polling and says so with the code, the card unchanged', async ({ page, mock }) => {
  await mock.configure({ taskOutcome: 'stuck' });
  await mock.fault({ endpoint: ENDPOINTS.task, status: 404, code: 'task_not_found' });
  await startChange(page);
  const alert = page.getByRole('alert').filter({ hasText: 'task_not_found' });
  await expect(alert).toContainText('Katapult no longer knows this task');
  await expect(alert.getByRole('button', { name: 'Check again' })).toBeVisible();
  await expect(card(page)).toContainText('1 Gbps');
  expect(await taskGets(mock)).toBe(1);
  expect(await patches(mock)).toBe(1);
  await expectNoMoreTaskRequests(page, mock);
});

test('a failed task sends no further task request', async ({ page, mock }) => {
  await mock.configure({ taskOutcome: 'fail', taskDurationMs: 1000 });
  await startChange(page);
  await expect(page.getByRole('alert').filter({ hasText: 'Failed' })).toBeVisible();
  await expect(card(page)).toContainText('1 Gbps');
  expect(await patches(mock)).toBe(1);
  await expectNoMoreTaskRequests(page, mock);
});
