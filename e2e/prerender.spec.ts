import type { Page } from '@playwright/test';
import { DEMO } from '../mock/seed.ts';
import { expect, test } from './fixtures.ts';

/**
 * What React would report if the page were hydrated and did not match, or recovered from an error
 * (main.tsx logs recoverable errors): the page renders once, over the prerendered screen, so none.
 */
function hydrationProblems(page: Page) {
  const seen: string[] = [];
  page.on('console', (m) => {
    if ((m.type() === 'error' || m.type() === 'warning') && /recoverable|hydrat|mismatch|did not match/i.test(m.text())) seen.push(m.text());
  });
  return seen;
}

test.describe('before any script runs', () => {
  test.use({ javaScriptEnabled: false });

  test('the served page shows the form, and a lookup sent from it arrives as the deep link', async ({ page }) => {
    await page.goto('/');
    await page.getByRole('textbox', { name: 'Virtual machine' }).fill(DEMO.vm);
    await page.getByRole('textbox', { name: 'Network' }).fill(DEMO.networkPermalink);
    await page.getByRole('button', { name: 'Look up' }).click();
    await expect(page).toHaveURL(`/?vm=${DEMO.vm}&network=${DEMO.networkPermalink}`);
  });
});

test('React’s first render draws the prerendered screen: the same roles, names and values', async ({ browser, baseURL, page }) => {
  const scriptless = await browser.newContext({ javaScriptEnabled: false });
  const painted = await scriptless.newPage();
  await painted.goto(`${baseURL}/`);
  const prerendered = await painted.locator('#root').ariaSnapshot();
  await scriptless.close();

  const problems = hydrationProblems(page);
  await page.goto('/');
  // Who is signed in is read by the scripts (the prerender has no session): React has rendered by then.
  await expect(page.getByText(/^Signed in as /)).toBeVisible();
  await expect(page.locator('#root')).toMatchAriaSnapshot(prerendered);
  expect(problems).toEqual([]);
});

test('the plain page takes over the prerendered screen without a React error and looks up in place', async ({ page }) => {
  const problems = hydrationProblems(page);
  await page.goto('/');
  await page.getByRole('textbox', { name: 'Virtual machine' }).fill(DEMO.vm);
  await page.getByRole('textbox', { name: 'Network' }).fill(DEMO.network);
  await page.getByRole('button', { name: 'Look up' }).click();
  await expect(page.getByRole('region', { name: 'Network interface' })).toContainText(DEMO.mac);
  expect(problems).toEqual([]);
});

test('a deep link replaces the prerendered screen without a React error, then shows its interface with its values in the form', async ({ page }) => {
  const problems = hydrationProblems(page);
  await page.goto(`/?vm=${DEMO.vm}&network=${DEMO.networkPermalink}&task=task_NotFollowed00001`);
  await expect(page.getByRole('region', { name: 'Network interface' })).toContainText(DEMO.mac);
  await expect(page.getByRole('textbox', { name: 'Virtual machine' })).toHaveValue(DEMO.vm);
  await expect(page.getByRole('textbox', { name: 'Network' })).toHaveValue(DEMO.networkPermalink);
  expect(problems).toEqual([]);
});

test('the Audit view’s deep link replaces the prerendered screen without a React error', async ({ page }) => {
  const problems = hydrationProblems(page);
  await page.goto('/?view=audit');
  await expect(page.getByRole('table', { name: 'Audit log' })).toBeVisible();
  expect(problems).toEqual([]);
});
