/**
 * The Audit view's one time-zone rule: times shown with their zone, date filters in the zone shown
 * (the viewer's, or UTC by the switch), presets, and a mistyped date said to be wrong beside its field.
 */
import type { Page } from '@playwright/test';
import { DEMO } from '../mock/seed.ts';
import { expect, lookUp, test } from './fixtures.ts';

/** This session's one change (the audit log is scoped to the demo session), made now. */
async function oneChange(page: Page) {
  await page.goto('/');
  await lookUp(page, DEMO.vm, DEMO.network);
  await expect(page.getByRole('region', { name: 'Network interface' })).toContainText('1 Gbps');
  await page.getByRole('combobox', { name: 'Speed profile' }).click();
  await page.getByRole('option', { name: /^10 Gbps/ }).click();
  await page.getByRole('button', { name: 'Change speed profile' }).click();
  await page.getByRole('dialog', { name: 'Change the speed profile?' }).getByRole('button', { name: 'Confirm' }).click();
  await expect(page.getByRole('alert').getByText('Completed', { exact: true })).toBeVisible();
  await page.getByRole('tab', { name: 'Audit' }).click();
}

const rows = (page: Page) => page.getByRole('table', { name: 'Audit log' }).getByRole('row');
const dayIn = (timeZone: string) => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());

for (const timeZone of ['America/New_York', 'UTC']) {
  test.describe(`in ${timeZone}`, () => {
    test.use({ timezoneId: timeZone });

    test('times carry their zone, and the date filters and presets count days in the zone shown', async ({ page }) => {
      await oneChange(page);
      await expect(rows(page)).toHaveCount(2);
      await expect(page.getByText(`Times and date filters are in ${timeZone}.`)).toBeVisible();
      await expect(rows(page).nth(1).locator('time')).toHaveText(timeZone === 'UTC' ? /UTC/ : /E[SD]T|GMT-[45]/);

      // The record's own day, as typed in this zone, finds it.
      const today = dayIn(timeZone);
      await page.getByRole('textbox', { name: 'From' }).fill(today);
      await page.getByRole('textbox', { name: 'To' }).fill(today);
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await expect(page).toHaveURL(new RegExp(`from=${today}&to=${today}`));
      await expect(rows(page)).toHaveCount(2);

      await page.getByRole('group', { name: 'Date presets' }).getByRole('button', { name: 'Yesterday' }).click();
      await expect(page.getByText('No recorded changes match these filters.')).toBeVisible();
      await page.getByRole('group', { name: 'Date presets' }).getByRole('button', { name: 'Last 7 days' }).click();
      await expect(rows(page)).toHaveCount(2);
      await page.getByRole('group', { name: 'Date presets' }).getByRole('button', { name: 'Today' }).click();
      await expect(rows(page)).toHaveCount(2);
    });
  });
}

test.describe('in America/New_York', () => {
  test.use({ timezoneId: 'America/New_York' });

  test('the UTC switch shows times and counts days in UTC; a mistyped date is an error beside its field', async ({ page }) => {
    await oneChange(page);
    await page.getByRole('switch', { name: 'Times in UTC' }).check();
    await expect(page).toHaveURL(/tz=utc/);
    await expect(page.getByText('Times and date filters are in UTC.')).toBeVisible();
    await expect(rows(page).nth(1).locator('time')).toHaveText(/UTC/);
    const utcToday = dayIn('UTC');
    await page.getByRole('textbox', { name: 'From' }).fill(utcToday);
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect(rows(page)).toHaveCount(2);

    const url = page.url();
    await page.getByRole('textbox', { name: 'To' }).fill('2026-13-45');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect(page.getByRole('textbox', { name: 'To' })).toHaveAccessibleDescription(/Enter a date as YYYY-MM-DD\./);
    expect(page.url()).toBe(url);
  });
});
