/**
 * The panel in a portal's pane: compact at 1000×600 with the change and its progress in sight, the
 * iframe following the portal's theme (`?theme=`, postMessage), mount() keeping its sizes under any
 * root font size, and the header saying who is signed in.
 */
import { DEMO } from '../mock/seed.ts';
import { expect, test } from './fixtures.ts';

const DARK_BACKGROUND = 'rgb(17, 20, 24)';
const LIGHT_BACKGROUND = 'rgb(244, 245, 247)';

test.describe('at 1000×600', () => {
  test.use({ viewport: { width: 1000, height: 600 } });

  test('the speed-profile row and a running change’s progress are visible without scrolling', async ({ page, mock }) => {
    await mock.configure({ taskClock: 'manual', taskDurationMs: 5000 });
    await page.goto(`/?vm=${DEMO.vm}&network=${DEMO.network}`);
    const combobox = page.getByRole('combobox', { name: 'Speed profile' });
    await expect(page.getByRole('region', { name: 'Network interface' })).toContainText('1 Gbps');
    await expect(combobox).toBeInViewport();
    // Compact: the header is one line, and says who is signed in and whether they may change.
    await expect(page.getByText(/^Signed in as /)).toContainText(/Signed in as demo-user-[a-z]+-[0-9a-f]{2} · may change speed profiles/);

    await combobox.click();
    await page.getByRole('option', { name: /^10 Gbps/ }).click();
    await page.getByRole('button', { name: 'Change speed profile' }).click();
    await page.getByRole('dialog', { name: 'Change the speed profile?' }).getByRole('button', { name: 'Confirm' }).click();
    const progress = page.getByRole('progressbar', { name: 'Task progress' });
    await expect(progress).toBeVisible();
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
    await expect(progress).toBeInViewport();
    await expect(combobox).toBeInViewport();
    await mock.advanceTasks(5000);
    await expect(page.getByRole('alert').getByText('Completed', { exact: true })).toBeInViewport();
  });

  test('a press on “Change speed profile” already on its way when who is signed in arrives (a long name) still opens the dialog', async ({ page }) => {
    // Who is signed in is answered only when the test says so: after the press has begun. A portal's user names are long.
    let answerMe!: () => void;
    const meMayAnswer = new Promise<void>((resolve) => (answerMe = resolve));
    await page.route('**/api/panel/me', async (route) => {
      await meMayAnswer;
      const response = await route.fetch();
      await route.fulfill({ response, json: { ...((await response.json()) as object), user: 'maria.fernandez-castellanos@support.example.com' } });
    });
    await page.goto(`/?vm=${DEMO.vm}&network=${DEMO.network}`);
    await expect(page.getByText('Demo data')).toBeVisible();
    await page.getByRole('combobox', { name: 'Speed profile' }).click();
    await page.getByRole('option', { name: /^10 Gbps/ }).click();
    const box = await page.getByRole('button', { name: 'Change speed profile' }).boundingBox();
    if (!box) throw new Error('button "Change speed profile" has no box');
    // Pressed; then the header learns who is signed in; then released where the press began.
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    answerMe();
    await expect(page.getByText(/^Signed in as maria/)).toBeVisible();
    await page.mouse.up();
    await expect(page.getByRole('dialog', { name: 'Change the speed profile?' })).toBeVisible();
  });
});

test('the iframe takes ?theme= and follows the portal’s theme messages', async ({ page }) => {
  const src = `/?theme=dark&density=compact`;
  await page.goto(`/embed-example.html?frame=${encodeURIComponent(src)}`);
  const frame = page.frameLocator('#panel-frame');
  const body = frame.locator('body');
  await expect(frame.getByRole('textbox', { name: 'Virtual machine' })).toBeVisible();
  await expect(body).toHaveCSS('background-color', DARK_BACKGROUND);

  // The portal (here the panel's own origin, FRAME_ANCESTORS' 'self') switches to light.
  await page.evaluate(() => {
    const f = document.getElementById('panel-frame') as HTMLIFrameElement;
    f.contentWindow?.postMessage({ type: 'katapult-panel:theme', theme: 'light' }, '*');
  });
  await expect(body).toHaveCSS('background-color', LIGHT_BACKGROUND);
});

for (const rootPx of [10, 20]) {
  test(`mount() keeps its sizes under html { font-size: ${rootPx}px }`, async ({ page }) => {
    await page.goto('/embed-example.html');
    const panel = page.locator('#panel-a');
    await expect(panel.getByRole('button', { name: 'Look up' })).toBeVisible();
    // The portal's root font size, set after the panel was mounted (as a portal's own switch would).
    await page.evaluate((px) => document.documentElement.style.setProperty('font-size', `${px}px`, 'important'), rootPx);
    await panel.getByRole('textbox', { name: 'Virtual machine' }).fill(DEMO.vm);
    await panel.getByRole('textbox', { name: 'Network' }).fill(DEMO.network);
    await panel.getByRole('button', { name: 'Look up' }).click();
    const card = panel.getByRole('region', { name: 'Network interface' });
    await expect(card).toContainText(DEMO.mac);
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).fontSize)).toBe(`${rootPx}px`);
    await expect(card.getByRole('button', { name: 'Copy VM id' })).toHaveCSS('font-size', '12px');
    await expect(card.getByText(DEMO.vm, { exact: true })).toHaveCSS('font-size', '13px');
    await expect(card.getByRole('heading', { name: 'Network interface' })).toHaveCSS('font-size', '17px');
  });
}
