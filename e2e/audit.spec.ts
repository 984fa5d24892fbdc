/**
 * The audit log against the real server in demo mode: a change shows in the card's "Recent
 * changes" and in the Audit view, which filters, exports CSV and opens a row's interface, on the
 * page and in mount(). The demo's audit database is shared by every test and not cleared by a mock
 * reset, so each test changes an interface no other spec changes and finds its own rows by
 * interface and task id, never by totals.
 */
import type { Locator, Page } from '@playwright/test';
import { DEMO } from '../mock/seed.ts';
import { expect, lookUp, test } from './fixtures.ts';

/** db-02's interface on the public network (100 Mbps): changed by no other spec. */
const DB02_PUBLIC = 'vmnet_Db02Publ1cNet01';
/** web-01's interface on the private LAN (10 Gbps): changed by no other spec. */
const WEB01_PRIVATE = 'vmnet_W3b01Priv4teLan1';

async function changeSpeed(scope: Page | Locator, profile: RegExp) {
  await scope.getByRole('combobox', { name: 'Speed profile' }).click();
  await scope.getByRole('option', { name: profile }).click();
  await scope.getByRole('button', { name: 'Change speed profile' }).click();
  await scope.getByRole('dialog', { name: 'Change the speed profile?' }).getByRole('button', { name: 'Confirm' }).click();
}

const auditTable = (scope: Page | Locator) => scope.getByRole('table', { name: 'Audit log' });

async function filterAudit(scope: Page | Locator, filters: { interface?: string; outcome?: string }) {
  if (filters.interface !== undefined) await scope.getByRole('textbox', { name: 'Interface' }).fill(filters.interface);
  if (filters.outcome !== undefined) await scope.getByRole('combobox', { name: 'Outcome' }).selectOption({ label: filters.outcome });
  await scope.getByRole('button', { name: 'Apply filters' }).click();
}

test('a change is listed in the card’s Recent changes, then in the Audit view, which filters, exports and opens it', async ({ page, mock }) => {
  test.slow(); // a whole journey: a change, its task, and the audit view's four requests
  await page.goto('/');
  await lookUp(page, DEMO.vnetVm, DEMO.network);
  const card = page.getByRole('region', { name: 'Network interface' });
  await expect(card).toContainText('100 Mbps');
  const recent = page.getByRole('region', { name: 'Recent changes' });
  await expect(recent).toBeVisible();

  await changeSpeed(page, /^2\.5 Gbps/);
  // The task's id from the mock (`&task=` leaves the address bar as soon as the task has ended).
  await expect.poll(async () => (await mock.state()).tasks.length).toBeGreaterThan(0);
  const taskId = (await mock.state()).tasks.at(-1)!.id;
  // Newest first: this change is the first entry, by this browser's demo name (no trusted user header in demo mode).
  const latest = recent.getByRole('listitem').first();
  await expect(latest).toContainText('100 Mbps → 2.5 Gbps');
  await expect(latest).toContainText(/demo-user-[a-z]+-[0-9a-f]{2}/);
  await expect(latest).toContainText('Completed');
  await expect(card).toContainText('2.5 Gbps');

  // The Audit tab: no lookup, the VM kept as a filter, network and task dropped from the URL.
  await page.getByRole('tab', { name: 'Audit' }).click();
  await expect(page).toHaveURL(new RegExp(`\\?vm=${DEMO.vnetVm}&view=audit$`));
  await expect(page.getByRole('region', { name: 'Network interface' })).toHaveCount(0);
  const table = auditTable(page);
  const row = table.getByRole('row').filter({ hasText: taskId });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(DB02_PUBLIC);
  await expect(row).toContainText('100 Mbps → 2.5 Gbps');
  await expect(row).toContainText('Completed');
  // On a laptop-sized window every column fits: neither the page nor the table scrolls sideways.
  await page.setViewportSize({ width: 1000, height: 760 });
  const widths = await table.evaluate((el) => ({
    page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    table: el.parentElement!.scrollWidth - el.parentElement!.clientWidth,
  }));
  expect(widths).toEqual({ page: 0, table: 0 });

  // Filters narrow the rows and travel in the URL and the CSV link.
  await filterAudit(page, { interface: DB02_PUBLIC, outcome: 'Failed' });
  await expect(page).toHaveURL(/outcome=failed/);
  await expect(row).toHaveCount(0);
  await filterAudit(page, { outcome: 'Completed' });
  await expect(row).toHaveCount(1);
  const bodyRows = table.getByRole('row').filter({ has: page.getByRole('cell') });
  for (const r of await bodyRows.all()) await expect(r).toContainText(DB02_PUBLIC);
  const csvLink = page.getByRole('link', { name: 'Export CSV' });
  const href = await csvLink.getAttribute('href');
  expect(href).toBe(`/api/panel/audit.csv?vm=${DEMO.vnetVm}&interface=${DB02_PUBLIC}&outcome=completed`);
  const csv = await page.request.get(href!);
  expect(csv.status()).toBe(200);
  expect(csv.headers()['content-type']).toContain('text/csv');
  expect(csv.headers()['content-disposition']).toContain('audit-log.csv');
  const lines = (await csv.text()).trim().split(/\r?\n/);
  expect(lines.length).toBeGreaterThanOrEqual(2);
  expect(lines.filter((l) => l.includes(taskId))).toHaveLength(1);
  expect(lines.slice(1).every((l) => l.includes(DB02_PUBLIC) && l.includes('completed'))).toBe(true);

  // "Open" goes back to the interface view and looks the row's interface up.
  await row.getByRole('link', { name: 'Open' }).click();
  await expect(page).toHaveURL(new RegExp(`\\?vm=${DEMO.vnetVm}&network=${DEMO.network}$`));
  await expect(page.getByRole('tab', { name: 'Interface' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('region', { name: 'Network interface' })).toContainText('2.5 Gbps');
});

test('a new demo session starts with a few days of colleagues’ changes, offering a change back only where it is true', async ({ page }) => {
  await page.goto('/?view=audit');
  const table = auditTable(page);
  const body = table.getByRole('row').filter({ has: page.getByRole('cell') });
  await expect(body.first()).toBeVisible();
  expect(await body.count()).toBeGreaterThanOrEqual(10);
  for (const text of ['Completed', 'Failed', 'Rejected: change_not_permitted', 'Already assigned', 'legacy-03', 'flaky-06', 'Private LAN']) {
    await expect(table).toContainText(text);
  }
  // By colleagues with readable demo names, none of them this browser's own.
  const users = new Set((await table.textContent())?.match(/demo-user-[a-z]+-[0-9a-f]{2}/g));
  expect(users.size).toBeGreaterThanOrEqual(3);
  // The presets find some of it yesterday (in the viewer's zone).
  await page.getByRole('group', { name: 'Date presets' }).getByRole('button', { name: 'Yesterday' }).click();
  await expect(page).toHaveURL(/from=/);
  await expect(body.filter({ hasText: 'db-02' }).first()).toBeVisible();

  // db-02 is on 100 Mbps in this session's mock, as its newest completed change in the history says: it can be changed back.
  await page.goto(`/?vm=${DEMO.vnetVm}&network=${DEMO.network}`);
  await expect(page.getByRole('region', { name: 'Network interface' })).toContainText('100 Mbps');
  const recent = page.getByRole('region', { name: 'Recent changes' });
  await expect(recent.getByRole('listitem').filter({ hasText: '250 Mbps → 100 Mbps' })).toContainText('Completed');
  await expect(recent.getByRole('button', { name: /^Change back to/ })).toHaveCount(1);
  await expect(recent.getByRole('button', { name: 'Change back to 250 Mbps' })).toBeVisible();
  // web-01's public interface was never changed in the history (refused, already assigned): nothing to change back.
  await page.goto(`/?vm=${DEMO.vm}&network=${DEMO.network}`);
  await expect(recent.getByRole('listitem').first()).toBeVisible();
  await expect(recent).toContainText('change_not_permitted');
  await expect(recent.getByRole('button', { name: /^Change back to/ })).toHaveCount(0);
});

test('the Audit view opens from a deep link with its filters', async ({ page }) => {
  await page.goto(`/?view=audit&interface=${DB02_PUBLIC}&outcome=not_seen`);
  await expect(page.getByRole('tab', { name: 'Audit' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('textbox', { name: 'Interface' })).toHaveValue(DB02_PUBLIC);
  await expect(page.getByRole('combobox', { name: 'Outcome' })).toHaveValue('not_seen');
  await expect(auditTable(page)).toBeVisible();
  await expect(page.getByRole('link', { name: 'Export CSV' })).toHaveAttribute(
    'href',
    `/api/panel/audit.csv?interface=${DB02_PUBLIC}&outcome=not_seen`,
  );
  // Nothing is looked up in the audit view.
  await expect(page.getByRole('button', { name: 'Look up' })).toHaveCount(0);
});

test('in mount(), the card’s recent changes and the Audit view work without touching the host’s URL', async ({ page }) => {
  test.slow(); // a whole journey: a change, its task, and the audit view
  await page.goto('/embed-example.html');
  const a = page.locator('#panel-a');
  await a.getByRole('textbox', { name: 'Virtual machine' }).fill(DEMO.vm);
  await a.getByRole('textbox', { name: 'Network' }).fill(DEMO.privateNetwork);
  await a.getByRole('button', { name: 'Look up' }).click();
  const card = a.getByRole('region', { name: 'Network interface' });
  await expect(card).toContainText('10 Gbps');
  await changeSpeed(a, /^1 Gbps/);
  // The task's end, as panel A shows it and as the host hears it (onTaskFinished).
  await expect(a.getByRole('alert').getByText('Completed', { exact: true })).toBeVisible({ timeout: 20_000 });
  await expect(page.locator('#finished-a')).toHaveText(/^Task task_\w+ completed$/);
  const taskId = (await page.locator('#finished-a').textContent())!.split(' ')[1]!;
  await expect(a.getByRole('region', { name: 'Recent changes' }).getByRole('listitem').first()).toContainText('10 Gbps → 1 Gbps');

  await a.getByRole('tab', { name: 'Audit' }).click();
  await filterAudit(a, { interface: WEB01_PRIVATE });
  const row = auditTable(a).getByRole('row').filter({ hasText: taskId });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('Completed');
  expect(new URL(page.url()).search).toBe('');
  // The other panel stayed on its interface view.
  await expect(page.locator('#panel-b').getByRole('tab', { name: 'Interface' })).toHaveAttribute('aria-selected', 'true');

  await row.getByRole('link', { name: 'Open' }).click();
  await expect(a.getByRole('region', { name: 'Network interface' })).toContainText('1 Gbps');
  await expect(a.getByRole('textbox', { name: 'Network' })).toHaveValue(DEMO.privateNetwork);
  expect(new URL(page.url()).search).toBe('');
});
