import type { Response } from '@playwright/test';
import { DEMO } from '../mock/seed.ts';
import { E2E_SERVER_TOKEN } from '../playwright.config.ts';
import { ENDPOINTS, expect, lookUp, test } from './fixtures.ts';

test('changes the speed profile by id and follows the task to completion', async ({ page, mock }) => {
  await mock.configure({ taskClock: 'manual' });
  await page.goto('/');
  await expect(page.getByText('Demo data')).toBeVisible();
  await lookUp(page, DEMO.vm, DEMO.network);
  const card = page.getByRole('region', { name: 'Network interface' });
  await expect(card).toContainText(DEMO.mac);
  await expect(card).toContainText(DEMO.ipv4);
  await expect(card).toContainText(DEMO.ipv6);
  await expect(card).toContainText('1 Gbps');

  await page.getByRole('combobox', { name: 'Speed profile' }).click();
  await page.getByRole('option', { name: /^10 Gbps/ }).click();
  await page.getByRole('button', { name: 'Change speed profile' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('1 Gbps');
  await expect(dialog).toContainText('10 Gbps');
  await dialog.getByRole('button', { name: 'Confirm' }).click();

  await expect(page.getByRole('progressbar', { name: 'Task progress' })).toBeVisible();
  await mock.advanceTasks(1500);
  await expect(page.getByRole('alert').getByText('Completed', { exact: true })).toBeVisible();
  await expect(card).toContainText('10 Gbps');
  expect(await mock.requests(ENDPOINTS.update, 'PATCH')).toHaveLength(1);
});

test('looks up by FQDN and network permalink', async ({ page, mock }) => {
  await page.goto('/');
  await lookUp(page, DEMO.vmFqdn, DEMO.networkPermalink);
  await expect(page.getByRole('region', { name: 'Network interface' })).toContainText(DEMO.mac);
  const [sent] = await mock.requests(ENDPOINTS.lookup);
  expect(sent?.query).toEqual({ 'virtual_machine[fqdn]': DEMO.vmFqdn, 'network[permalink]': DEMO.networkPermalink });
});

test('shows a 404 from Katapult in an alert with its code', async ({ page }) => {
  await page.goto('/');
  await lookUp(page, 'vm_DoesNotExist0001', DEMO.network);
  await expect(page.getByRole('alert')).toContainText('virtual_machine_not_found');
});

test('never lets the server’s API token reach the browser', async ({ page }) => {
  // Each response read while the page is open, and awaited before the check: a read left running
  // when the test ends would fail the run after it. The live events' stream never ends: its
  // headers are read, not its body.
  const reads: Promise<string>[] = [];
  const read = (r: Response) =>
    reads.push(
      r.allHeaders().then(async (headers) => {
        const body = headers['content-type']?.includes('text/event-stream') ? '' : await r.text().catch(() => '');
        return JSON.stringify(headers) + body;
      }),
    );
  page.on('response', read);
  await page.goto(`/?vm=${DEMO.vm}&network=${DEMO.network}`);
  await expect(page.getByRole('region', { name: 'Network interface' })).toContainText('1 Gbps');
  await expect.poll(() => reads.length).toBeGreaterThan(5);
  page.off('response', read);
  const bodies = await Promise.all(reads);
  expect(bodies.filter((b) => b.includes(E2E_SERVER_TOKEN))).toEqual([]);
  expect(await page.evaluate(() => document.documentElement.outerHTML)).not.toContain(E2E_SERVER_TOKEN);
});
