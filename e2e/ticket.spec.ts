/**
 * A ticket-ready record of every step: each change and each error copies as one paragraph, and
 * "Activity this session" records every lookup and change attempt, the failed and refused ones too.
 */
import type { Page } from '@playwright/test';
import { DEMO } from '../mock/seed.ts';
import { ENDPOINTS, expect, lookUp, test } from './fixtures.ts';

const card = (page: Page) => page.getByRole('region', { name: 'Network interface' });
const log = (page: Page) => page.getByRole('region', { name: 'Activity this session' });
const clipboard = (page: Page) => page.evaluate(() => navigator.clipboard.readText());
const UTC_TIME = /\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/;

test.beforeEach(async ({ context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
});

async function change(page: Page, permalink: string) {
  const combobox = page.getByRole('combobox', { name: 'Speed profile' });
  await combobox.fill(permalink);
  await page.getByRole('button', { name: 'Change speed profile' }).click();
  await page.getByRole('dialog', { name: 'Change the speed profile?' }).getByRole('button', { name: 'Confirm' }).click();
}

test('a change found from an IP address copies as one paragraph, on the card, in Recent changes and in the Audit view', async ({ page }) => {
  await page.goto(`/?ip=${DEMO.ipv4}`);
  await expect(card(page)).toContainText('1 Gbps');
  await change(page, '10gbps');
  await expect(page.getByRole('alert').getByText('Completed', { exact: true })).toBeVisible();
  await expect(card(page)).toContainText('10 Gbps');

  await card(page).getByRole('button', { name: 'Copy for ticket' }).click();
  const text = await clipboard(page);
  expect(text).toContain(`interface eth0 (${DEMO.interface}), on VM web-01 (${DEMO.vm})`);
  expect(text).toContain(`(looked up from IP address ${DEMO.ipv4})`);
  expect(text).toContain('from 1 Gbps (up 1 Gbit/s, down 1 Gbit/s) to 10 Gbps (up 10 Gbit/s, down 10 Gbit/s)');
  expect(text).toMatch(UTC_TIME);
  expect(text).toMatch(/Task task_\w+: completed/);

  const recent = page.getByRole('region', { name: 'Recent changes' });
  await recent.getByRole('button', { name: 'Copy for ticket' }).first().click();
  await expect.poll(() => clipboard(page)).toMatch(/^Speed profile change of interface eth0 .* from 1 Gbps .* to 10 Gbps .*Task task_\w+: completed/);

  await page.getByRole('tab', { name: /Audit/ }).click();
  const row = page.getByRole('table', { name: 'Audit log' }).getByRole('row').nth(1);
  await row.getByRole('button', { name: 'Copy for ticket' }).click();
  await expect.poll(() => clipboard(page)).toMatch(/on VM web-01 \(vm_\w+\), network .*: from 1 Gbps .* to 10 Gbps .*Task task_\w+: completed/);

  await page.goBack();
  await expect(log(page)).toContainText(`from IP address ${DEMO.ipv4}`);
});

test('an error copies with what was asked, its sentence, code and HTTP status', async ({ page }) => {
  await page.goto('/');
  await lookUp(page, 'vm_doesNotExist0001', DEMO.network);
  const alert = page.getByRole('alert').first();
  await expect(alert).toContainText('virtual_machine_not_found');
  await alert.getByRole('button', { name: 'Copy for ticket' }).click();
  const text = await clipboard(page);
  expect(text).toMatch(new RegExp(`^Lookup of VM vm_doesNotExist0001 on network ${DEMO.network} at ${UTC_TIME.source} failed: `));
  expect(text).toContain('Code virtual_machine_not_found, HTTP 404.');
});

test('the activity log records a failed IP lookup with its address, and a refused change with its code', async ({ page, mock }) => {
  await page.goto('/?ip=203.0.113.77');
  await expect(page.getByRole('alert').first()).toBeVisible();
  await expect(log(page)).toContainText('Lookup of IP address 203.0.113.77 failed');

  await mock.fault({ endpoint: ENDPOINTS.update, method: 'PATCH', status: 422, code: 'validation_error', description: 'Speed profile is invalid', times: 1 });
  await page.goto('/');
  await lookUp(page, DEMO.vm, DEMO.network);
  await expect(card(page)).toContainText('1 Gbps');
  await change(page, '10gbps');
  await expect(page.getByRole('alert').first()).toContainText('validation_error');
  await expect(log(page)).toContainText('Speed change refused (validation_error · HTTP 422), nothing changed: interface eth0 of VM web-01');
  await expect(log(page)).toContainText('1 Gbps → 10 Gbps');
});
