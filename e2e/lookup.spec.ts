/**
 * Looking up an interface, as support staff do: by id, by FQDN and permalink, through the VM's
 * networks, from a link; and every answer Katapult can give instead of an interface.
 */
import type { Page } from '@playwright/test';
import { DEMO } from '../mock/seed.ts';
import { advanceUntil, ENDPOINTS, expect, installPageClock, lookUp, stopPageClock, test } from './fixtures.ts';

const PRIVATE_MAC = '02:00:ac:1f:4e:02';

const vmField = (page: Page) => page.getByRole('textbox', { name: 'Virtual machine' });
const networkField = (page: Page) => page.getByRole('textbox', { name: 'Network' });
const card = (page: Page) => page.getByRole('region', { name: 'Network interface' });

test('looks up an interface by VM id and network id and shows the whole card', async ({ page, mock, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('/');
  await lookUp(page, DEMO.vm, DEMO.network);
  const c = card(page);
  await expect(c).toContainText(DEMO.vmName);
  await expect(c).toContainText(DEMO.vm);
  await expect(c).toContainText('eth0');
  await expect(c).toContainText(DEMO.interface);
  await expect(c).toContainText('Public Network (London)');
  await expect(c).toContainText(DEMO.mac);
  await expect(c).toContainText('attached');
  await expect(c.getByRole('listitem').filter({ hasText: DEMO.ipv4 })).toContainText('IPv4');
  await expect(c.getByRole('listitem').filter({ hasText: DEMO.ipv6 })).toContainText('IPv6');
  await expect(c).toContainText(/1 Gbps\s*\(up 1 Gbit\/s, down 1 Gbit\/s\)/);
  expect((await mock.requests(ENDPOINTS.lookup))[0]?.query).toEqual({
    'virtual_machine[id]': DEMO.vm,
    'network[id]': DEMO.network,
  });

  await c.getByRole('button', { name: 'Copy summary' }).click();
  await expect(c.getByRole('button', { name: 'Copy summary' })).toHaveText('Copied');
  const summary = await page.evaluate(() => navigator.clipboard.readText());
  expect(summary).toContain(`VM: ${DEMO.vmName} (${DEMO.vm})`);
  expect(summary).toContain(`MAC address: ${DEMO.mac}`);
  expect(summary).toContain(`IPv6: ${DEMO.ipv6}`);
  expect(summary).toContain('Speed profile: 1 Gbps (up 1 Gbit/s, down 1 Gbit/s)');
});

test('looks up by FQDN and network permalink, on Enter', async ({ page, mock }) => {
  await page.goto('/');
  await vmField(page).fill(DEMO.vmFqdn);
  await expect(page.getByText('Detected: FQDN')).toBeVisible();
  await networkField(page).fill(DEMO.networkPermalink);
  await expect(page.getByText('Detected: Permalink')).toBeVisible();
  await networkField(page).press('Enter');
  await expect(card(page)).toContainText(DEMO.mac);
  const sent = await mock.requests(ENDPOINTS.lookup);
  expect(sent.map((r) => r.query)).toEqual([
    { 'virtual_machine[fqdn]': DEMO.vmFqdn, 'network[permalink]': DEMO.networkPermalink },
  ]);
});

test('finds a permalink quoted in another case or with spaces', async ({ page, mock }) => {
  await page.goto('/');
  await vmField(page).fill(DEMO.vm);
  await networkField(page).fill(' Pub lic ');
  await expect(page.getByText('Detected: Permalink')).toBeVisible();
  await networkField(page).press('Enter');
  await expect(card(page)).toContainText(DEMO.mac);
  expect((await mock.requests(ENDPOINTS.lookup)).map((r) => r.query['network[permalink]'])).toEqual([DEMO.networkPermalink]);
  await expect(page).toHaveURL(/network=public$/);

  // The same from a link quoted in capitals.
  await page.goto(`/?vm=${DEMO.vm}&network=PUBLIC`);
  await expect(card(page)).toContainText(DEMO.mac);
});

test('looks up an address with a prefix length without it, and says so under the field', async ({ page, mock }) => {
  await page.goto('/');
  await vmField(page).fill(`${DEMO.ipv4}/24`);
  await expect(vmField(page)).toHaveAccessibleDescription(`Looked up as ${DEMO.ipv4} (the /24 prefix length is ignored)`);
  await vmField(page).press('Enter');
  await expect(card(page)).toContainText(DEMO.mac);
  expect((await mock.requests('/ip_addresses/ip_address')).map((r) => r.query['ip_address[address]'])).toEqual([DEMO.ipv4]);
  await expect(vmField(page)).toHaveValue(`${DEMO.ipv4}/24`);
  await expect(vmField(page)).toHaveAccessibleDescription(`Looked up as ${DEMO.ipv4} (the /24 prefix length is ignored)`);

  await page.goto(`/?ip=${encodeURIComponent(`${DEMO.ipv6}/64`)}`);
  await expect(card(page)).toContainText(DEMO.ipv6);
  await expect(vmField(page)).toHaveAccessibleDescription(`Looked up as ${DEMO.ipv6} (the /64 prefix length is ignored)`);
});

test('sends nothing for an invalid value and says why on the field', async ({ page, mock }) => {
  await page.goto('/');
  await vmField(page).fill('vm_');
  await networkField(page).fill(DEMO.network);
  await networkField(page).press('Enter');
  await expect(vmField(page)).toHaveAttribute('aria-invalid', 'true');
  await expect(vmField(page)).toHaveAccessibleDescription(/VM id is incomplete/);
  expect(await mock.requests(ENDPOINTS.lookup)).toEqual([]);
});

test('looks up through the network picker, with every page of the VM’s interfaces', async ({ page, mock }) => {
  await mock.configure({ maxPerPage: 1 });
  await page.goto('/');
  await vmField(page).fill(DEMO.vm);
  await networkField(page).focus();
  const picker = page.getByRole('group', { name: 'Networks of this VM' });
  await expect(picker.getByRole('button', { name: /Public Network \(London\)/ })).toBeVisible();
  await picker.getByRole('button', { name: /Private LAN/ }).click();
  await expect(card(page)).toContainText(PRIVATE_MAC);
  await expect(networkField(page)).toHaveValue(DEMO.privateNetwork);
  expect((await mock.requests(ENDPOINTS.vmInterfaces)).map((r) => r.query.page)).toEqual(['1', '2']);
  expect((await mock.requests(ENDPOINTS.lookup))[0]?.query['network[id]']).toBe(DEMO.privateNetwork);
});

test('goes straight to the interface of a VM given alone on one network, and asks which for a VM on several', async ({ page, mock }) => {
  await page.goto('/');
  await vmField(page).fill(DEMO.legacyVm);
  await vmField(page).press('Enter');
  await expect(card(page)).toContainText(DEMO.legacyVm);
  await expect(networkField(page)).toHaveValue(DEMO.legacyNetwork);
  expect((await mock.requests(ENDPOINTS.lookup)).map((r) => r.query['network[id]'])).toEqual([DEMO.legacyNetwork]);

  // A link with a VM on two networks: a question, not an error.
  await page.goto(`/?vm=${DEMO.vm}`);
  const choices = page.getByRole('group', { name: 'Networks of this VM' });
  await expect(choices).toContainText('This VM is on several networks. Which one?');
  await expect(networkField(page)).not.toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByRole('alert')).toHaveCount(0);
  await choices.getByRole('button', { name: /Private LAN/ }).click();
  await expect(card(page)).toContainText(PRIVATE_MAC);
});

const orgField = (page: Page) => page.getByRole('textbox', { name: 'Organization' });

test('finds a VM by its name within an organization, across every page of its VMs', async ({ page, mock }) => {
  await mock.configure({ maxPerPage: 2 });
  await page.goto('/');
  await orgField(page).fill('acme');
  await vmField(page).fill('Legacy-03');
  await vmField(page).press('Enter');
  await expect(card(page)).toContainText(DEMO.legacyVm);
  expect((await mock.requests('/organizations/organization/virtual_machines')).map((r) => r.query.page)).toEqual(['1', '2', '3', '4']);
  expect((await mock.requests(ENDPOINTS.lookup)).map((r) => r.query['virtual_machine[id]'])).toEqual([DEMO.legacyVm]);
  // The link keeps the organization the VM was found in, and the field keeps it too.
  await expect(page).toHaveURL(new RegExp(`\\?org=acme&vm=${DEMO.legacyVm}&network=${DEMO.legacyNetwork}$`));
  await expect(orgField(page)).toHaveValue('acme');

  // None by that name: said on the field, nothing looked up.
  await orgField(page).fill('acme');
  await vmField(page).fill('web-99');
  await vmField(page).press('Enter');
  await expect(vmField(page)).toHaveAccessibleDescription('No VM in acme is called web-99 (by name or short hostname).');
  expect(await mock.requests(ENDPOINTS.lookup)).toHaveLength(1);

  // A link with the organization and a name; this VM is on two networks, so the form asks which.
  await page.goto('/?org=acme&vm=WEB-01');
  const networks = page.getByRole('group', { name: 'Networks of this VM' });
  await expect(networks).toContainText('Which one?');
  await expect(vmField(page)).toHaveValue(DEMO.vm);
  await networks.getByRole('button', { name: /Private LAN/ }).click();
  await expect(card(page)).toContainText(PRIVATE_MAC);
  await expect(page).toHaveURL(new RegExp(`\\?org=acme&vm=${DEMO.vm}&network=${DEMO.privateNetwork}$`));
});

test('offers the VMs of an organization that share a name, found on a later page, and goes on with the one picked', async ({ page, mock, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('/');
  await orgField(page).fill('acme');
  await vmField(page).fill('Worker');
  await vmField(page).press('Enter');
  const choices = page.getByRole('group', { name: 'Virtual machines with this name' });
  await expect(choices).toContainText('Several VMs in acme are called Worker. Which one?');
  await expect(choices.getByRole('button')).toHaveCount(2);
  await expect(vmField(page)).not.toHaveAttribute('aria-invalid', 'true');
  // Both are on the second page of the organization's VMs (four a page); nothing is looked up until one is picked.
  expect((await mock.requests('/organizations/organization/virtual_machines')).map((r) => r.query.page)).toEqual(['1', '2']);
  expect(await mock.requests(ENDPOINTS.lookup)).toEqual([]);

  // The one picked is on one network: straight on to its card.
  await choices.getByRole('button', { name: /calm-ivory-finch/ }).click();
  await expect(card(page)).toContainText(DEMO.sharedNameVms[1]);
  await expect(card(page)).toContainText('185.199.108.118');
  await expect(choices).toHaveCount(0);
  expect((await mock.requests(ENDPOINTS.lookup)).map((r) => r.query['virtual_machine[id]'])).toEqual([DEMO.sharedNameVms[1]]);
  const url = new RegExp(`\\?org=acme&vm=${DEMO.sharedNameVms[1]}&network=${DEMO.network}$`);
  await expect(page).toHaveURL(url);

  // "Copy link" keeps the organization, and the link opens the same card with the form as it was.
  await card(page).getByRole('button', { name: 'Copy link' }).click();
  const link = await page.evaluate(() => navigator.clipboard.readText());
  expect(link).toMatch(url);
  await page.goto(link);
  await expect(card(page)).toContainText(DEMO.sharedNameVms[1]);
  await expect(orgField(page)).toHaveValue('acme');
  await expect(vmField(page)).toHaveValue(DEMO.sharedNameVms[1]);

  // To the Audit view and back: the way back keeps the organization too.
  await page.getByRole('tab', { name: 'Audit' }).click();
  await expect(page).toHaveURL(/view=audit/);
  await page.getByRole('tab', { name: 'Interface' }).click();
  await expect(page).toHaveURL(url);
  await expect(orgField(page)).toHaveValue('acme');
});

test('opens a deep link on the interface and offers the VM’s other networks', async ({ page }) => {
  await page.goto(`/?vm=${DEMO.vmFqdn}&network=${DEMO.networkPermalink}`);
  await expect(card(page)).toContainText(DEMO.mac);
  await expect(vmField(page)).toHaveValue(DEMO.vmFqdn);
  await expect(networkField(page)).toHaveValue(DEMO.networkPermalink);
  await page.getByRole('group', { name: 'Networks of this VM' }).getByRole('button', { name: /Private LAN/ }).click();
  await expect(card(page)).toContainText(PRIVATE_MAC);
});

test('keeps the URL in step with the form: reload, back and forward', async ({ page }) => {
  await page.goto('/');
  await lookUp(page, DEMO.vm, DEMO.network);
  await expect(card(page)).toContainText(DEMO.mac);
  await lookUp(page, DEMO.vm, DEMO.privateNetwork);
  await expect(card(page)).toContainText(PRIVATE_MAC);
  await expect(page).toHaveURL(new RegExp(`\\?vm=${DEMO.vm}&network=${DEMO.privateNetwork}$`));

  await page.reload();
  await expect(card(page)).toContainText(PRIVATE_MAC);
  await page.goBack();
  await expect(card(page)).toContainText(DEMO.mac);
  await expect(networkField(page)).toHaveValue(DEMO.network);
  await page.goForward();
  await expect(card(page)).toContainText(PRIVATE_MAC);
  await expect(networkField(page)).toHaveValue(DEMO.privateNetwork);
});

test('puts virtual_machine_not_found on the VM field', async ({ page }) => {
  await page.goto('/');
  await lookUp(page, 'vm_DoesNotExist0001', DEMO.network);
  await expect(page.getByRole('alert')).toContainText('virtual_machine_not_found');
  await expect(vmField(page)).toHaveAttribute('aria-invalid', 'true');
  await expect(vmField(page)).toHaveAccessibleDescription(/no virtual machine with this id/);
  await expect(vmField(page)).toBeFocused();
  await expect(networkField(page)).toHaveAttribute('aria-invalid', 'false');
});

test('puts network_not_found on the Network field', async ({ page }) => {
  await page.goto('/');
  await lookUp(page, DEMO.vm, 'no-such-network');
  await expect(page.getByRole('alert')).toContainText('network_not_found');
  await expect(networkField(page)).toHaveAttribute('aria-invalid', 'true');
  await expect(networkField(page)).toHaveAccessibleDescription(/no network with this permalink/);
  await expect(vmField(page)).toHaveAttribute('aria-invalid', 'false');
});

test('offers the networks the VM does have after interface_not_found', async ({ page }) => {
  await page.goto('/');
  await lookUp(page, DEMO.vm, DEMO.unusedNetwork);
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('interface_not_found');
  await expect(alert).toContainText('This VM has no interface on that network');
  await alert.getByRole('button', { name: /Private LAN/ }).click();
  await expect(card(page)).toContainText(PRIVATE_MAC);
});

test.describe('in New York', () => {
  test.use({ locale: 'en-US', timezoneId: 'America/New_York' });

  test('says what is in the trash and until when, in local time', async ({ page }) => {
    const answer = await page.request.get(`/api${ENDPOINTS.lookup}`, {
      params: { 'virtual_machine[id]': DEMO.trashedVm, 'network[id]': DEMO.network },
    });
    expect(answer.status()).toBe(406);
    const body = (await answer.json()) as { error: { detail: { trash_object: { keep_until: number } } } };
    const until = new Date(body.error.detail.trash_object.keep_until * 1000);
    const date = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: 'America/New_York' }).format(until);
    const time = new Intl.DateTimeFormat('en-US', { hour: 'numeric', minute: '2-digit', timeZone: 'America/New_York' })
      .format(until)
      .replace(/\s/g, ' ');

    await page.goto('/');
    await lookUp(page, DEMO.trashedVm, DEMO.network);
    const alert = page.getByRole('alert');
    await expect(alert).toContainText('object_in_trash');
    await expect(alert).toContainText('The virtual machine is in the trash');
    await expect(alert).toContainText(`${DEMO.trashedVm} is in Katapult’s trash until ${date}`);
    expect((await alert.innerText()).replace(/\s/g, ' ')).toContain(time);
  });
});

test('counts down after rate_limit_reached, then retries by itself', async ({ page, mock }) => {
  // Page time moves in steps, each a round trip to the browser: on a busy machine that takes a while.
  test.slow();
  await mock.fault({
    endpoint: ENDPOINTS.lookup,
    status: 429,
    code: 'rate_limit_reached',
    detail: { total_permitted: 60 },
    times: 1,
  });
  // The countdown runs on the page's clock, moved by the test a step at a time: every second of it
  // is seen, however busy the machine.
  await installPageClock(page);
  await page.goto('/');
  await stopPageClock(page);
  await lookUp(page, DEMO.vm, DEMO.network);
  const alert = page.getByRole('alert');
  // The card's code comes with the first lookup, and React reveals it on a short timer of the page's
  // clock: small steps, far shorter than the 5 s wait, until the card (here its error) shows.
  await advanceUntil(page, () => alert.count(), 1, 50);
  await expect(alert).toContainText('rate_limit_reached');
  await expect(alert).toContainText('60 requests a minute');
  const timer = alert.getByRole('timer');
  await expect(timer).toHaveText('Trying again in 5 s (attempt 1).');
  for (const seconds of [4, 3, 2, 1]) {
    await advanceUntil(page, () => timer.textContent(), `Trying again in ${seconds} s (attempt 1).`);
  }
  expect(await mock.requests(ENDPOINTS.lookup)).toHaveLength(1);
  await advanceUntil(page, async () => (await mock.requests(ENDPOINTS.lookup)).length, 2);
  await expect(card(page)).toContainText(DEMO.mac);
  expect(await mock.requests(ENDPOINTS.lookup)).toHaveLength(2);
});

test('shows an HTML 502 from upstream with its status, and recovers on Try again', async ({ page, mock }) => {
  await mock.fault({
    endpoint: ENDPOINTS.lookup,
    status: 502,
    contentType: 'text/html',
    raw: '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>',
  });
  await page.goto('/');
  await lookUp(page, DEMO.vm, DEMO.network);
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('Unexpected response (HTTP 502 Bad Gateway)');
  await expect(alert).toContainText('Code: HTTP 502');
  await expect(alert).toContainText('502 Bad Gateway nginx');
  await expect(alert).not.toContainText('<h1>');

  await mock.clearFaults();
  await alert.getByRole('button', { name: 'Try again' }).click();
  await expect(card(page)).toContainText(DEMO.mac);
});

test('shows the second of two quick lookups when the first is slower', async ({ page, mock }) => {
  await mock.fault({ endpoint: ENDPOINTS.lookup, match: { 'network[id]': DEMO.network }, delayMs: 2500, times: 1 });
  await page.goto('/');
  const slow = page.waitForRequest((r) => r.url().includes(ENDPOINTS.lookup) && r.url().includes(DEMO.network));
  await lookUp(page, DEMO.vm, DEMO.network);
  await expect(page.getByRole('button', { name: 'Look up' })).toHaveAttribute('aria-busy', 'true');
  await lookUp(page, DEMO.vm, DEMO.privateNetwork);
  await expect(card(page)).toContainText(PRIVATE_MAC);

  // Let the slow answer arrive (or its request be cancelled), then the card must still be the second.
  const response = await (await slow).response();
  await response?.finished();
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  await expect(card(page)).toContainText(PRIVATE_MAC);
  await expect(card(page)).not.toContainText(DEMO.mac);
  await expect(networkField(page)).toHaveValue(DEMO.privateNetwork);
  expect(await mock.requests(ENDPOINTS.lookup)).toHaveLength(2);
});
