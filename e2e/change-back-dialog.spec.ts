/** "Change back" reads like a change: the interface by name, both speeds, the panel's date format, a readable demo user. */
import type { Page } from '@playwright/test';
import { DEMO } from '../mock/seed.ts';
import { expect, lookUp, test } from './fixtures.ts';

const card = (page: Page) => page.getByRole('region', { name: 'Network interface' });

test('the change-back dialog names the interface, gives both speeds and the date with its zone, and the demo user by name', async ({ page }) => {
  await page.goto('/');
  await lookUp(page, DEMO.vm, DEMO.network);
  await expect(card(page)).toContainText('1 Gbps');
  // Picked from the list: a change by id (by permalink, the record has no profile id to change back from).
  await page.getByRole('combobox', { name: 'Speed profile' }).click();
  await page.getByRole('option', { name: /^10 Gbps/ }).click();
  await page.getByRole('button', { name: 'Change speed profile' }).click();
  await page.getByRole('dialog', { name: 'Change the speed profile?' }).getByRole('button', { name: 'Confirm' }).click();
  await expect(page.getByRole('alert').getByText('Completed', { exact: true })).toBeVisible();
  await expect(card(page)).toContainText('10 Gbps');

  const recent = page.getByRole('region', { name: 'Recent changes' });
  const latest = recent.getByRole('listitem').first();
  await expect(latest).toContainText(/demo-user-[a-z]+-[0-9a-f]{2}/);
  const user = (await latest.textContent())?.match(/demo-user-[a-z]+-[0-9a-f]{2}/)?.[0];

  await latest.getByRole('button', { name: 'Change back to 1 Gbps' }).click();
  const dialog = page.getByRole('dialog', { name: 'Change the speed profile back?' });
  await expect(dialog).toContainText(`Interface eth0 (${DEMO.interface}) of VM web-01 (${DEMO.vm}) will change from 10 Gbps to 1 Gbps.`);
  const table = dialog.getByRole('table', { name: 'The change' });
  await expect(table).toContainText('up 10 Gbit/s, down 10 Gbit/s');
  await expect(table).toContainText('up 1 Gbit/s, down 1 Gbit/s');
  // The same exact format as the audit view's times: with seconds and the zone.
  await expect(dialog).toContainText(new RegExp(`This puts back the change ${user} made on .*\\d{1,2}:\\d{2}:\\d{2}.*(UTC|GMT)`));
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
});
