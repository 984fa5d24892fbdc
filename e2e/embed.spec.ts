/**
 * The panel embedded in the support portal: mount() twice on the example host page
 * (public/embed-example.html), and the SPA in an iframe.
 */
import type { Locator } from '@playwright/test';
import { DEMO } from '../mock/seed.ts';
import { ENDPOINTS, expect, pageRequests, test } from './fixtures.ts';

const MAGENTA = 'rgb(255, 0, 255)';

async function lookUpIn(panel: Locator, vm: string, network: string) {
  await panel.getByRole('textbox', { name: 'Virtual machine' }).fill(vm);
  await panel.getByRole('textbox', { name: 'Network' }).fill(network);
  await panel.getByRole('button', { name: 'Look up' }).click();
}

const style = (l: Locator, property: string) =>
  l.evaluate((el, p) => getComputedStyle(el).getPropertyValue(p), property);

async function changeSpeedIn(panel: Locator, profile: RegExp) {
  await panel.getByRole('combobox', { name: 'Speed profile' }).click();
  // The menu is portalled inside the panel's shadow root, not into the host's <body>.
  await panel.getByRole('option', { name: profile }).click();
  await panel.getByRole('button', { name: 'Change speed profile' }).click();
  await panel.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
}

test('two mounted panels work independently, and host and panel styles stay apart', async ({ page, mock }) => {
  await page.goto('/embed-example.html');
  const a = page.locator('#panel-a');
  const b = page.locator('#panel-b');
  await expect(a.getByRole('button', { name: 'Look up' })).toBeVisible();
  await expect(b.getByRole('button', { name: 'Look up' })).toBeVisible();

  await lookUpIn(a, DEMO.vm, DEMO.network);
  const cardA = a.getByRole('region', { name: 'Network interface' });
  await expect(cardA).toContainText(DEMO.mac);
  await expect(cardA).toContainText('1 Gbps');
  // The other instance did not move, and the host's URL was not touched (syncUrl is off).
  await expect(b.getByRole('region', { name: 'Network interface' })).toHaveCount(0);
  await expect(b.getByRole('textbox', { name: 'Virtual machine' })).toHaveValue('');
  expect(new URL(page.url()).search).toBe('');
  expect(await mock.requests(ENDPOINTS.lookup)).toHaveLength(1);

  // Host styles do not reach the panel…
  const lookUpButton = b.getByRole('button', { name: 'Look up' });
  expect(await style(lookUpButton, 'background-color')).not.toBe(MAGENTA);
  expect(await style(lookUpButton, 'border-top-style')).not.toBe('dashed');
  expect(await style(lookUpButton, 'text-transform')).toBe('none');
  expect(await style(lookUpButton, 'letter-spacing')).not.toBe('2px');
  expect(await style(lookUpButton, 'font-family')).not.toMatch(/comic/i);
  expect(await style(a.getByRole('textbox', { name: 'Virtual machine' }), 'border-top-width')).not.toBe('5px');
  expect(await style(cardA, 'line-height')).not.toBe(await style(page.locator('body'), 'line-height'));
  // …and the panel's styles do not reach the host: no <style> in the host document, host rules intact.
  expect(await page.evaluate(() => document.querySelectorAll('style').length)).toBe(0);
  const hostButton = page.getByRole('button', { name: 'Unmount panel A' });
  expect(await style(hostButton, 'background-color')).toBe(MAGENTA);
  expect(await style(hostButton, 'border-top-style')).toBe('dashed');
  expect(await style(page.locator('body'), 'font-family')).toMatch(/comic/i);
  expect(await style(page.locator('body'), 'background-color')).toBe('rgb(255, 250, 205)');
  expect(await style(page.locator('body'), 'margin-top')).toBe('0px');
  expect(await style(page.getByRole('heading', { name: 'Support portal' }), 'color')).toBe('rgb(128, 0, 0)');

  // A change in panel A: menu and dialog open inside its shadow root; the host hears of the end.
  await changeSpeedIn(a, /^10 Gbps/);
  expect(await page.evaluate(() => document.querySelectorAll('[role="listbox"], [role="dialog"]').length)).toBe(0);
  await expect(a.getByRole('alert').getByText('Completed', { exact: true })).toBeVisible();
  await expect(cardA).toContainText('10 Gbps');
  await expect(page.locator('#finished-a')).toHaveText(/^Task task_\w+ completed$/);
  await expect(page.locator('#finished-b')).toHaveText('');
  await expect(b.getByRole('progressbar', { name: 'Task progress' })).toHaveCount(0);
  expect(await mock.requests(ENDPOINTS.update, 'PATCH')).toHaveLength(1);
});

test('unmount() while a task is followed stops every request and leaves the other panel working', async ({ page, mock }) => {
  await mock.configure({ taskDurationMs: 5000 });
  const pageApiCalls = pageRequests(page, '/api/');
  await page.goto('/embed-example.html');
  const a = page.locator('#panel-a');
  const b = page.locator('#panel-b');
  await lookUpIn(a, DEMO.vm, DEMO.network);
  await expect(a.getByRole('region', { name: 'Network interface' })).toContainText('1 Gbps');
  await changeSpeedIn(a, /^10 Gbps/);
  await expect(a.getByRole('progressbar', { name: 'Task progress' })).toBeVisible();
  await expect.poll(async () => (await mock.requests(ENDPOINTS.task)).length).toBeGreaterThan(0);

  await page.getByRole('button', { name: 'Unmount panel A' }).click();
  await expect(a.getByRole('textbox')).toHaveCount(0);
  const afterUnmount = pageApiCalls();
  // Wait for the task to end on the server: a poll left running would have asked several times by then.
  // (Katapult's log holds the server's follower's looks too: the page's own requests are what unmount stops.)
  await expect
    .poll(async () => (await mock.state()).tasks[0]?.status, { timeout: 15_000 })
    .toBe('completed');
  expect(pageApiCalls()).toBe(afterUnmount);
  await expect(page.locator('#finished-a')).toHaveText('');
  // Nothing of panel A is left in its element.
  expect(await a.evaluate((el) => el.shadowRoot?.querySelectorAll('*:not(slot)').length)).toBe(0);

  // Panel B still works on its own.
  await lookUpIn(b, DEMO.vm, DEMO.network);
  await expect(b.getByRole('region', { name: 'Network interface' })).toContainText('10 Gbps');
});

test('deep links work inside an iframe on the portal, and the frame keeps its own URL', async ({ page }) => {
  const deepLink = `/?vm=${DEMO.vm}&network=${DEMO.networkPermalink}`;
  await page.goto(`/embed-example.html?frame=${encodeURIComponent(deepLink)}`);
  const frame = page.frameLocator('#panel-frame');
  await expect(frame.getByRole('region', { name: 'Network interface' })).toContainText(DEMO.mac);
  await expect(frame.getByRole('textbox', { name: 'Virtual machine' })).toHaveValue(DEMO.vm);

  await frame.getByRole('textbox', { name: 'Virtual machine' }).fill(DEMO.vmFqdn);
  await frame.getByRole('button', { name: 'Look up' }).click();
  await expect(frame.getByRole('region', { name: 'Network interface' })).toContainText(DEMO.mac);
  const inner = page.frames().find((f) => f.url().includes('vm='));
  await expect.poll(() => inner && new URL(inner.url()).searchParams.get('vm')).toBe(DEMO.vmFqdn);
  // The host page's own URL is unchanged.
  expect(new URL(page.url()).searchParams.get('frame')).toBe(deepLink);
});

test('a host’s brand colour reaches the first screen when the panel follows the system’s colour scheme', async ({ page }) => {
  await page.goto('/embed-example.html');
  await page.evaluate(async () => {
    const url = '/embed/katapult-panel.js';
    const { mount } = (await import(url)) as { mount: (el: HTMLElement, options: object) => () => void };
    for (const themeMode of ['system', 'light']) {
      const host = document.createElement('div');
      host.id = `brand-${themeMode}`;
      document.body.append(host);
      mount(host, { apiBase: '/api', themeMode, theme: { palette: { primary: { main: '#e4002b' } } } });
    }
  });
  const system = page.locator('#brand-system').getByRole('button', { name: 'Look up' });
  const forced = page.locator('#brand-light').getByRole('button', { name: 'Look up' });
  await expect(system).toBeVisible();
  await expect(forced).toBeVisible();
  const brand = await style(forced, 'background-color');
  expect(brand).not.toBe('rgb(31, 95, 191)'); // the panel's own primary, not the host's
  expect(await style(system, 'background-color')).toBe(brand);
});

test('mount() with an IP address as initialVm looks that address up', async ({ page }) => {
  await page.goto('/embed-example.html');
  await page.evaluate(async (ip) => {
    const url = '/embed/katapult-panel.js';
    const { mount } = (await import(url)) as { mount: (el: HTMLElement, options: object) => () => void };
    const host = document.createElement('div');
    host.id = 'by-address';
    document.body.append(host);
    mount(host, { apiBase: '/api', initialVm: ip });
  }, DEMO.ipv4);
  const panel = page.locator('#by-address');
  await expect(panel.getByText(`${DEMO.ipv4} is on`)).toBeVisible();
  await expect(panel.getByRole('region', { name: 'Network interface' })).toContainText(DEMO.mac);
});

test('the host page’s root font size does not change the panel’s size', async ({ page }) => {
  await page.goto('/embed-example.html');
  // The example host sets html { font-size: 20px }; the panel is drawn as on a 16 px page.
  expect(await style(page.locator('html'), 'font-size')).toBe('20px');
  const a = page.locator('#panel-a');
  await expect(a.getByRole('button', { name: 'Look up' })).toBeVisible();
  expect(await style(a.getByRole('textbox', { name: 'Virtual machine' }), 'font-size')).toBe('16px');
  expect(await style(a.getByRole('button', { name: 'Look up' }), 'font-size')).toBe('14px');
  expect(await style(a.getByRole('heading', { name: 'Network interface', level: 1 }), 'font-size')).toBe('22px');
});
