import type { Page } from '@playwright/test';
import { DEMO } from '../mock/seed.ts';
import { expect, lookUp, test } from './fixtures.ts';

const log = (page: Page) => page.getByRole('region', { name: 'Activity this session' });
const entries = (page: Page) => log(page).getByRole('list', { name: 'Activity entries' }).getByRole('listitem');

test('says nothing happened yet before the first lookup', async ({ page }) => {
  await page.goto('/');
  await expect(log(page)).toContainText('Nothing yet');
});

test('lists a lookup and a speed change with its task result, and keeps them over a reload', async ({ page }) => {
  await page.goto('/');
  await lookUp(page, DEMO.vm, DEMO.network);
  await expect(page.getByRole('region', { name: 'Network interface' })).toContainText('1 Gbps');
  await expect(entries(page)).toHaveCount(1);
  await expect(entries(page).first()).toContainText(`Looked up ${DEMO.vmName} (${DEMO.vm})`);
  await expect(entries(page).first().getByRole('link', { name: `Open ${DEMO.vmName} on ${DEMO.network}` })).toBeVisible();

  await page.getByRole('combobox', { name: 'Speed profile' }).click();
  await page.getByRole('option', { name: /^10 Gbps/ }).click();
  await page.getByRole('button', { name: 'Change speed profile' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();

  const change = entries(page).filter({ hasText: 'Changed the speed profile' });
  await expect(change).toContainText('1 Gbps → 10 Gbps');
  await expect(change).toContainText('Task completed');
  await expect(entries(page)).toHaveCount(2);
  await expect(change.getByRole('time')).toBeVisible();

  await page.reload();
  await expect(page.getByRole('region', { name: 'Network interface' })).toContainText('10 Gbps');
  await expect(entries(page)).toHaveCount(2); // the reload looks the interface up again, but that is not a new lookup
  await expect(entries(page).filter({ hasText: 'Task completed' })).toHaveCount(1);
});

test('records a failed lookup with its error code', async ({ page }) => {
  await page.goto('/');
  await lookUp(page, 'vm_DoesNotExist0001', DEMO.network);
  await expect(page.getByRole('alert').first()).toContainText('virtual_machine_not_found');
  await expect(entries(page).first()).toContainText('virtual_machine_not_found');
  await expect(entries(page).first()).toContainText('Lookup failed');
});

test('copies the log for a ticket, without any token', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('/');
  await lookUp(page, DEMO.vm, DEMO.network);
  await expect(entries(page)).toHaveCount(1);
  await log(page).getByRole('button', { name: 'Copy activity log' }).click();
  await expect(log(page).getByRole('button', { name: 'Copy activity log' })).toHaveText('Copied');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toContain(`Looked up ${DEMO.vmName} (${DEMO.vm})`);
  expect(copied).not.toMatch(/token/i);
  const stored = await page.evaluate(() => JSON.stringify(sessionStorage));
  expect(stored).not.toMatch(/token/i);
});

test('goes back to an earlier lookup from its link', async ({ page }) => {
  await page.goto('/');
  await lookUp(page, DEMO.vm, DEMO.network);
  await expect(entries(page)).toHaveCount(1);
  await lookUp(page, DEMO.vmFqdn, DEMO.networkPermalink);
  await expect(entries(page)).toHaveCount(2);
  await entries(page).last().getByRole('link', { name: `Open ${DEMO.vmName} on ${DEMO.network}` }).click();
  await expect(page).toHaveURL(new RegExp(`vm=${DEMO.vm}&network=${DEMO.network}`));
  await expect(page.getByRole('textbox', { name: 'Virtual machine' })).toHaveValue(DEMO.vm);
});
