/**
 * The Audit view's one time-zone rule: times shown with their zone, date filters in the zone shown
 * (the viewer's, or UTC by the switch), presets, and a mistyped date said to be wrong beside its field.
 * Each demo session also starts with colleagues' changes of the last few days (server/audit/demo-history.ts):
 * the test's own change is found by its task id.
 */
import type { Page } from '@playwright/test';
import { DEMO } from '../mock/seed.ts';
import { expect, lookUp, test, type MockControl } from './fixtures.ts';

/** This session's own change, made now; returns its row in the Audit view. */
async function oneChange(page: Page, mock: MockControl) {
  await page.goto('/');
  await lookUp(page, DEMO.vm, DEMO.network);
  await expect(page.getByRole('region', { name: 'Network interface' })).toContainText('1 Gbps');
  await page.getByRole('combobox', { name: 'Speed profile' }).click();
  await page.getByRole('option', { name: /^10 Gbps/ }).click();
  await page.getByRole('button', { name: 'Change speed profile' }).click();
  await page.getByRole('dialog', { name: 'Change the speed profile?' }).getByRole('button', { name: 'Confirm' }).click();
  await expect(page.getByRole('alert').getByText('Completed', { exact: true })).toBeVisible();
  const taskId = (await mock.state()).tasks.at(-1)!.id;
  // Every VM's records: the history's day-old changes are of other VMs too.
  await page.goto('/?view=audit');
  return rows(page).filter({ hasText: taskId });
}

const rows = (page: Page) => page.getByRole('table', { name: 'Audit log' }).getByRole('row');
/** The history's changes: at least this many rows besides the header and the test's own. */
const HISTORY = 10;
const dayIn = (timeZone: string) => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());

for (const timeZone of ['America/New_York', 'UTC']) {
  test.describe(`in ${timeZone}`, () => {
    test.use({ timezoneId: timeZone });

    test('times carry their zone, and the date filters and presets count days in the zone shown', async ({ page, mock }) => {
      const own = await oneChange(page, mock);
      await expect(own).toHaveCount(1);
      await expect(page.getByText(`Times and date filters are in ${timeZone}.`)).toBeVisible();
      await expect(own.locator('time')).toHaveText(timeZone === 'UTC' ? /UTC/ : /E[SD]T|GMT-[45]/);

      // The record's own day, as typed in this zone, finds it.
      const today = dayIn(timeZone);
      await page.getByRole('textbox', { name: 'From' }).fill(today);
      await page.getByRole('textbox', { name: 'To' }).fill(today);
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await expect(page).toHaveURL(new RegExp(`from=${today}&to=${today}`));
      await expect(own).toHaveCount(1);

      // Yesterday holds the history's changes of a day ago, and not the one made now.
      const presets = page.getByRole('group', { name: 'Date presets' });
      await presets.getByRole('button', { name: 'Yesterday' }).click();
      await expect(own).toHaveCount(0);
      await expect(rows(page).nth(1)).toBeVisible();
      await expect(page.getByText('No recorded changes match these filters.')).toHaveCount(0);
      // The last 7 days hold the whole history and the change made now.
      await presets.getByRole('button', { name: 'Last 7 days' }).click();
      await expect(own).toHaveCount(1);
      await expect.poll(() => rows(page).count()).toBeGreaterThanOrEqual(HISTORY + 2);
      await presets.getByRole('button', { name: 'Today' }).click();
      await expect(own).toHaveCount(1);
    });
  });
}

test.describe('in America/New_York', () => {
  test.use({ timezoneId: 'America/New_York' });

  test('the UTC switch shows times and counts days in UTC; a mistyped date is an error beside its field', async ({ page, mock }) => {
    const own = await oneChange(page, mock);
    await page.getByRole('switch', { name: 'Times in UTC' }).check();
    await expect(page).toHaveURL(/tz=utc/);
    await expect(page.getByText('Times and date filters are in UTC.')).toBeVisible();
    await expect(own.locator('time')).toHaveText(/UTC/);
    const utcToday = dayIn('UTC');
    await page.getByRole('textbox', { name: 'From' }).fill(utcToday);
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect(page).toHaveURL(new RegExp(`from=${utcToday}`));
    await expect(own).toHaveCount(1);
    // From today on (UTC): none of the history of more than a day ago.
    await expect(rows(page).filter({ hasText: 'legacy-03' })).toHaveCount(0);

    const url = page.url();
    await page.getByRole('textbox', { name: 'To' }).fill('2026-13-45');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect(page.getByRole('textbox', { name: 'To' })).toHaveAccessibleDescription(/Enter a date as YYYY-MM-DD\./);
    expect(page.url()).toBe(url);
  });
});
