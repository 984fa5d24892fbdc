/**
 * Fault matrix, bodies: whatever the lookup endpoint answers, the page stays up, says what happened
 * (with the code or HTTP status staff paste into tickets) and sends no more than it should.
 * The fixture fails every test on an uncaught page error or console error.
 */
import { DEMO } from '../mock/seed.ts';
import { ENDPOINTS, expect, lookUp, test, type MockControl } from './fixtures.ts';
import type { Page } from '@playwright/test';

const card = (page: Page) => page.getByRole('region', { name: 'Network interface' });
const lookups = async (mock: MockControl) => (await mock.requests(ENDPOINTS.lookup)).length;
/** What the healthy mock would have returned for the interface, keeping the card's speed-profile part working. */
const nic = (extra: Record<string, unknown> = {}) => ({
  id: DEMO.interface,
  name: 'eth0',
  virtual_machine: { id: DEMO.vm, name: DEMO.vmName },
  network: { id: DEMO.network, name: 'Public Network (London)' },
  virtual_network: null,
  mac_address: DEMO.mac,
  state: 'attached',
  ip_addresses: [{ id: 'ip_1', address: DEMO.ipv4 }],
  ...extra,
});

test.describe('Katapult error bodies', () => {
  test('shows a wrapped Katapult error with its code and description, sent once', async ({ page, mock }) => {
    await mock.fault({ endpoint: ENDPOINTS.lookup, status: 404, code: 'network_not_found', envelope: 'wrapped' });
    await page.goto('/');
    await lookUp(page, DEMO.vm, DEMO.network);
    const alert = page.getByRole('alert');
    await expect(alert).toContainText('No network matches what you typed');
    await expect(alert).toContainText('network_not_found · HTTP 404');
    await expect(alert).toContainText('No network was found matching any of the criteria');
    expect(await lookups(mock)).toBe(1);
  });

  test('shows an unwrapped (documented) Katapult error exactly like a wrapped one', async ({ page, mock }) => {
    await mock.fault({ endpoint: ENDPOINTS.lookup, status: 404, code: 'network_not_found', envelope: 'unwrapped' });
    await page.goto('/');
    await lookUp(page, DEMO.vm, DEMO.network);
    const alert = page.getByRole('alert');
    await expect(alert).toContainText('No network matches what you typed');
    await expect(alert).toContainText('network_not_found · HTTP 404');
    expect(await lookups(mock)).toBe(1);
  });

  test('shows an unknown error code as such, with Katapult’s description and the code', async ({ page, mock }) => {
    await mock.fault({
      endpoint: ENDPOINTS.lookup,
      status: 409,
      code: 'flux_capacitor_overheated',
      description: 'The flux capacitor is too hot to answer',
    });
    await page.goto('/');
    await lookUp(page, DEMO.vm, DEMO.network);
    const alert = page.getByRole('alert');
    await expect(alert).toContainText('Katapult answered with an error the panel does not know (HTTP 409)');
    await expect(alert).toContainText('The flux capacitor is too hot to answer');
    await expect(alert).toContainText('flux_capacitor_overheated · HTTP 409');
    expect(await lookups(mock)).toBe(1);
  });

  test('shows a Katapult error whose description contains HTML as text, never as markup', async ({ page, mock }) => {
    await mock.fault({
      endpoint: ENDPOINTS.lookup,
      status: 400,
      code: 'odd_error',
      description: '<img src=x onerror="window.__xss=1"><b>bold</b>',
    });
    await page.goto('/');
    await lookUp(page, DEMO.vm, DEMO.network);
    await expect(page.getByRole('alert')).toContainText('<img src=x onerror="window.__xss=1"><b>bold</b>');
    await expect(page.locator('img[src="x"]')).toHaveCount(0);
    expect(await page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
  });
});

test.describe('answers that are not Katapult’s', () => {
  for (const status of [502, 504]) {
    test(`shows an HTML ${status} page from a proxy as an unexpected response with its text, after two automatic retries`, async ({
      page,
      mock,
    }) => {
      await mock.fault({
        endpoint: ENDPOINTS.lookup,
        status,
        contentType: 'text/html',
        raw: `<html><head><title>${status}</title><script>window.__xss=1</script></head><body><center><h1>${status} Gateway Trouble</h1></center><hr><center>nginx</center></body></html>`,
      });
      await page.goto('/');
      await lookUp(page, DEMO.vm, DEMO.network);
      const alert = page.getByRole('alert');
      await expect(alert).toContainText(`Unexpected response (HTTP ${status}`);
      await expect(alert).toContainText(`${status} Gateway Trouble nginx`);
      await expect(alert).toContainText(`HTTP ${status}`);
      expect(await lookups(mock)).toBe(3);
      expect(await page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
    });
  }

  test('shows an empty 200 answer as an unexpected, empty response, sent once', async ({ page, mock }) => {
    await mock.fault({ endpoint: ENDPOINTS.lookup, status: 200, raw: '' });
    await page.goto('/');
    await lookUp(page, DEMO.vm, DEMO.network);
    const alert = page.getByRole('alert');
    await expect(alert).toContainText('Unexpected response (HTTP 200');
    await expect(alert).toContainText('The answer was empty.');
    await expect(card(page)).toHaveCount(0);
    expect(await lookups(mock)).toBe(1);
  });

  test('shows truncated JSON as an answer that was not JSON, with its beginning', async ({ page, mock }) => {
    await mock.fault({ endpoint: ENDPOINTS.lookup, status: 200, raw: '{"virtual_machine_network_interface":{"id":"vmnet_ol' });
    await page.goto('/');
    await lookUp(page, DEMO.vm, DEMO.network);
    const alert = page.getByRole('alert');
    await expect(alert).toContainText('The answer was not JSON.');
    await expect(alert).toContainText('{"virtual_machine_network_interface":{"id":"vmnet_ol');
    expect(await lookups(mock)).toBe(1);
  });

  for (const [shape, json] of [
    ['an array', [nic()]],
    ['null', null],
    ['an object without virtual_machine_network_interface', { network_interface: nic() }],
    ['virtual_machine_network_interface as a string', { virtual_machine_network_interface: 'eth0' }],
  ] as const) {
    test(`shows JSON of the wrong shape (${shape}) as an answer without the interface`, async ({ page, mock }) => {
      await mock.fault({ endpoint: ENDPOINTS.lookup, status: 200, ...(json === null ? { raw: 'null' } : { json }) });
      await page.goto('/');
      await lookUp(page, DEMO.vm, DEMO.network);
      const alert = page.getByRole('alert');
      await expect(alert).toContainText('Unexpected response (HTTP 200');
      await expect(alert).toContainText('The answer did not contain a virtual_machine_network_interface.');
      await expect(card(page)).toHaveCount(0);
      expect(await lookups(mock)).toBe(1);
    });
  }
});

test.describe('odd but valid interfaces', () => {
  test('shows “not reported” for every optional field a 200 interface leaves out, and offers no change without an id', async ({
    page,
    mock,
  }) => {
    await mock.fault({ endpoint: ENDPOINTS.lookup, json: { virtual_machine_network_interface: {} } });
    await page.goto('/');
    await lookUp(page, DEMO.vm, DEMO.network);
    await expect(card(page)).toBeVisible();
    await expect.poll(() => card(page).getByText('not reported', { exact: true }).count()).toBeGreaterThanOrEqual(6);
    await expect(page.getByText('Katapult did not report this interface’s id')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Change speed profile' })).toHaveCount(0);
    // The details of the interface the VM's own list names may have been asked for alongside the
    // lookup (the picker knew its id); never of an interface without an id, and only that once.
    const details = await mock.requests(ENDPOINTS.interface);
    expect(details.length).toBeLessThanOrEqual(1);
    for (const r of details) expect(r.query['virtual_machine_network_interface[id]']).toBe(DEMO.interface);
    expect(await lookups(mock)).toBe(1);
  });

  test('shows an interface with extra unknown fields normally', async ({ page, mock }) => {
    await mock.fault({
      endpoint: ENDPOINTS.lookup,
      json: {
        virtual_machine_network_interface: nic({ shiny_new_field: { nested: [1, 2, 3] }, mtu: 9000 }),
        also_new: true,
      },
    });
    await page.goto('/');
    await lookUp(page, DEMO.vm, DEMO.network);
    await expect(card(page)).toContainText(DEMO.mac);
    await expect(card(page)).toContainText('1 Gbps');
    await expect(card(page)).not.toContainText('shiny_new_field');
    await expect(page.getByRole('alert')).toHaveCount(0);
  });

  test('keeps the layout within the window with 1,000-character names and 100 IP addresses', async ({ page, mock }) => {
    const long = (c: string) => c.repeat(1000);
    const ips = Array.from({ length: 100 }, (_, i) => ({ id: `ip_${i}`, address: i % 2 ? `2a03:2800:10:1::${i.toString(16)}` : `10.0.${i}.1` }));
    await mock.fault({
      endpoint: ENDPOINTS.lookup,
      json: {
        virtual_machine_network_interface: nic({
          name: long('n'),
          virtual_machine: { id: DEMO.vm, name: long('v') },
          network: { id: DEMO.network, name: long('w') },
          ip_addresses: ips,
        }),
      },
    });
    for (const viewport of [{ width: 1280, height: 800 }, { width: 375, height: 740 }]) {
      await page.setViewportSize(viewport);
      await page.goto(`/?vm=${DEMO.vm}&network=${DEMO.network}`);
      await expect(card(page)).toContainText(long('v'));
      await expect(card(page).getByRole('listitem')).toHaveCount(100);
      await expect(card(page)).toContainText('10.0.98.1');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `horizontal overflow at ${viewport.width} px`).toBeLessThanOrEqual(0);
      const button = await page.getByRole('button', { name: 'Look up' }).boundingBox();
      expect(button && button.x + button.width).toBeLessThanOrEqual(viewport.width);
    }
  });

  test('shows names containing HTML and script as text, never as markup', async ({ page, mock }) => {
    const img = '<img src=x onerror="window.__xss=1">';
    const script = '<script>window.__xss=2</script>';
    const odd = {
      virtual_machine_network_interface: nic({
        name: img,
        virtual_machine: { id: DEMO.vm, name: script },
        network: { id: DEMO.network, name: `<a href="javascript:alert(1)">net</a>` },
        state: '<b>attached</b>',
      }),
    };
    // Katapult gives the same interface to the lookup and to the read by id the change form makes.
    await mock.fault({ endpoint: ENDPOINTS.lookup, json: odd }, { endpoint: ENDPOINTS.interface, json: odd });
    await page.goto('/');
    await lookUp(page, DEMO.vm, DEMO.network);
    await expect(card(page)).toContainText(img);
    await expect(card(page)).toContainText(script);
    await expect(card(page)).toContainText('<a href="javascript:alert(1)">net</a>');
    await expect(card(page)).toContainText('<b>attached</b>');
    await expect(page.locator('img[src="x"]')).toHaveCount(0);
    await expect(page.locator('a[href^="javascript:"]')).toHaveCount(0);
    expect(await page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
    await page.getByRole('combobox', { name: 'Speed profile' }).click();
    await page.getByRole('option', { name: /^10 Gbps/ }).click();
    await page.getByRole('button', { name: 'Change speed profile' }).click();
    await expect(page.getByRole('dialog')).toContainText(img);
    await expect(page.getByRole('dialog')).toContainText(script);
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    expect(await page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
    expect(await mock.requests(ENDPOINTS.update, 'PATCH')).toHaveLength(0);
  });
});
