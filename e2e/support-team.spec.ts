import type { Page } from '@playwright/test';
import { DEMO } from '../mock/seed.ts';
import { ENDPOINTS, expect, lookUp, test } from './fixtures.ts';

const card = (page: Page) => page.getByRole('region', { name: 'Network interface' });
const recent = (page: Page) => page.getByRole('region', { name: 'Recent changes' });

async function changeTo(page: Page, option: RegExp) {
  await page.getByRole('combobox', { name: 'Speed profile' }).click();
  await page.getByRole('option', { name: option }).click();
  await page.getByRole('button', { name: 'Change speed profile' }).click();
  await page.getByRole('dialog', { name: 'Change the speed profile?' }).getByRole('button', { name: 'Confirm' }).click();
}

test('finds the interface from an IP address typed as the VM, and says how it was found', async ({ page, mock }) => {
  await page.goto('/');
  await page.getByRole('textbox', { name: 'Virtual machine' }).fill(DEMO.ipv4);
  await page.getByRole('button', { name: 'Look up' }).click();
  await expect(page).toHaveURL(new RegExp(`\\?ip=${DEMO.ipv4.replaceAll('.', '\\.')}$`));
  await expect(page.getByText(`${DEMO.ipv4} is on web-01, Public Network (London)`)).toBeVisible();
  await expect(card(page)).toContainText(DEMO.mac);
  await expect(card(page)).toContainText('1 Gbps');
  expect((await mock.requests(ENDPOINTS.lookup)).map((r) => r.query)).toEqual([{ 'virtual_machine[id]': DEMO.vm, 'network[id]': DEMO.network }]);
});

test('an unknown IP address and one allocated to a load balancer are explained with their codes', async ({ page }) => {
  await page.goto(`/?ip=${DEMO.ipUnknown}`);
  await expect(page.getByRole('alert')).toContainText('ip_address_not_found');
  await page.goto(`/?ip=${DEMO.ipLoadBalancer}`);
  await expect(page.getByRole('alert')).toContainText('load balancer web-frontend-lb, not to a virtual machine');
  await expect(page.getByRole('alert')).toContainText('ip_address_not_on_a_vm');
});

test('changes back a completed change with the same dialog and PATCH, and no longer offers it once changed since', async ({ page, mock }) => {
  await page.goto('/');
  await lookUp(page, DEMO.vm, DEMO.network);
  await expect(card(page)).toContainText('1 Gbps');
  await changeTo(page, /^10 Gbps/);
  await expect(page.getByRole('alert').getByText('Completed', { exact: true })).toBeVisible();
  await expect(card(page)).toContainText('10 Gbps');

  // The newest change is this test's (the audit log is shared by every test's session).
  const back = recent(page).getByRole('button', { name: 'Change back to 1 Gbps' }).first();
  await back.click();
  const dialog = page.getByRole('dialog', { name: 'Change the speed profile back?' });
  await expect(dialog.getByRole('table', { name: 'The change' })).toContainText('10 Gbps');
  await dialog.getByRole('button', { name: 'Confirm' }).click();
  // The card names "1 Gbps" before the change back lands too (the change's from → to): wait for its PATCH.
  await expect.poll(async () => (await mock.requests(ENDPOINTS.update, 'PATCH')).length).toBe(2);
  await expect(card(page).getByText('1 Gbps', { exact: true })).toBeVisible();
  const patches = await mock.requests(ENDPOINTS.update, 'PATCH');
  expect(patches.at(-1)?.body).toEqual({ virtual_machine_network_interface: { id: DEMO.interface }, speed_profile: { id: 'nsp_H3Mknnus3dtDIbIc' } });
  // The first change's "to" (10 Gbps) is no longer the interface's profile: its row says so instead.
  await expect(recent(page).getByText('Changed since: the interface now has 1 Gbps.').first()).toBeVisible();
});

test('shows a change someone else started as running, with who, and offers no second change meanwhile', async ({ page, mock, context }) => {
  await mock.configure({ taskClock: 'manual', taskDurationMs: 600_000 });
  await page.goto('/');
  await lookUp(page, DEMO.vm, DEMO.network);
  await changeTo(page, /^10 Gbps/);
  await expect(page.getByRole('progressbar', { name: 'Task progress' })).toBeVisible();

  // A second tab of the same demo session, as another engineer would see the interface.
  const other = await context.newPage();
  await other.goto(`/?vm=${DEMO.vm}&network=${DEMO.network}`);
  await expect(other.getByRole('status').filter({ hasText: /^Changing to 10 Gbps: started by demo-user-[a-z]+-[0-9a-f]{2}/ })).toBeVisible();
  await expect(other.getByRole('button', { name: 'Change speed profile' })).toBeDisabled();
  expect(await mock.requests(ENDPOINTS.update, 'PATCH')).toHaveLength(1);
});
