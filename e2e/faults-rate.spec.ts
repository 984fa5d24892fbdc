/**
 * Fault matrix, rate limits and availability. Already covered elsewhere: one 429 on the lookup
 * counting down and retrying by itself (e2e/lookup.spec.ts), 429 while polling a task
 * (e2e/change-speed.spec.ts). The 30-second 429 storm runs here with forMs 12 s: the
 * behaviour is the same (each further 429 waits longer, then the first answer after the storm
 * heals it), only shorter.
 */
import type { Page } from '@playwright/test';
import { DEMO } from '../mock/seed.ts';
import { advanceUntil, ENDPOINTS, expect, installPageClock, lookUp, stopPageClock, test } from './fixtures.ts';

const card = (page: Page) => page.getByRole('region', { name: 'Network interface' });

test('a 429 storm on every endpoint is waited out with growing pauses, then the lookup heals by itself', async ({ page, mock }) => {
  test.slow();
  await mock.fault({ endpoint: '*', status: 429, code: 'rate_limit_reached', detail: { total_permitted: 60 }, forMs: 12_000 });
  await page.goto('/');
  await lookUp(page, DEMO.vm, DEMO.network);
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('rate_limit_reached · HTTP 429');
  await expect(page.getByRole('timer')).toContainText('(attempt 1)');
  await expect(page.getByRole('timer')).toContainText('(attempt 2)', { timeout: 15_000 });
  await expect(card(page)).toContainText(DEMO.mac, { timeout: 30_000 });
  await expect(card(page)).toContainText('1 Gbps');
  // 0 s, 5 s, 15 s: three lookups at most in 12 s of 429s; never a tight loop.
  const sent = (await mock.requests(ENDPOINTS.lookup)).length;
  expect(sent).toBeGreaterThanOrEqual(2);
  expect(sent).toBeLessThanOrEqual(3);
});

test('503 service_unavailable for a while is retried automatically and the card appears', async ({ page, mock }) => {
  // Page time moves in steps, each a round trip to the browser: on a busy machine that takes a while.
  test.slow();
  await mock.fault({ endpoint: ENDPOINTS.lookup, status: 503, code: 'service_unavailable', times: 2 });
  // Page time moves only with the test: the press-to-click window and the retry pauses cannot be
  // stretched by a busy machine.
  await installPageClock(page);
  await page.goto('/');
  await stopPageClock(page);
  await lookUp(page, DEMO.vm, DEMO.network);
  const lookups = async () => (await mock.requests(ENDPOINTS.lookup)).length;
  // Each retry leaves after its pause in page time: two 503s, then the answer.
  await advanceUntil(page, lookups, 3);
  await expect(card(page)).toContainText(DEMO.mac);
  expect(await lookups()).toBe(3);
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('503 that outlasts the retries is shown with its code and Try again brings the card', async ({ page, mock }) => {
  await mock.fault({ endpoint: ENDPOINTS.lookup, status: 503, code: 'service_unavailable', times: 3 });
  await page.goto('/');
  await lookUp(page, DEMO.vm, DEMO.network);
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('Katapult is unavailable right now');
  await expect(alert).toContainText('service_unavailable · HTTP 503');
  expect(await mock.requests(ENDPOINTS.lookup)).toHaveLength(3);
  await alert.getByRole('button', { name: 'Try again' }).click();
  await expect(card(page)).toContainText(DEMO.mac);
  expect(await mock.requests(ENDPOINTS.lookup)).toHaveLength(4);
});

test('429 on the PATCH is not retried: it says the change was not sent, and only a second Confirm sends it again', async ({
  page,
  mock,
}) => {
  await page.goto('/');
  await lookUp(page, DEMO.vm, DEMO.network);
  await expect(card(page)).toContainText('1 Gbps');
  await mock.fault({
    endpoint: ENDPOINTS.update,
    method: 'PATCH',
    status: 429,
    code: 'rate_limit_reached',
    detail: { total_permitted: 5 },
    times: 1,
  });
  const choose = async () => {
    await page.getByRole('combobox', { name: 'Speed profile' }).click();
    await page.getByRole('option', { name: /^10 Gbps/ }).click();
    await page.getByRole('button', { name: 'Change speed profile' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
  };
  await choose();
  const alert = page.getByRole('alert').filter({ hasText: 'rate_limit_reached' });
  await expect(alert).toContainText('the change was not sent');
  await expect(alert).toContainText('rate_limit_reached · HTTP 429');
  await page.waitForTimeout(2000); // a quiet period: no automatic resend
  expect(await mock.requests(ENDPOINTS.update, 'PATCH')).toHaveLength(1);
  await expect(card(page)).toContainText('1 Gbps');

  await choose();
  await expect(page.getByRole('alert').getByText('Completed', { exact: true })).toBeVisible();
  await expect(card(page)).toContainText('10 Gbps');
  expect(await mock.requests(ENDPOINTS.update, 'PATCH')).toHaveLength(2);
});
