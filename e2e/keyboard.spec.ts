/**
 * Job 1 by keyboard only: look up, pick a profile, change, confirm. The keys pressed are counted
 * (typed text apart), so the path's length is a number the README and the closing note can give.
 */
import type { Page } from '@playwright/test';
import { DEMO } from '../mock/seed.ts';
import { ENDPOINTS, expect, test } from './fixtures.ts';

/** Presses keys on the page and counts them; `type` counts its text as one step of typing, apart. */
class Keys {
  presses = 0;
  typed = 0;
  constructor(private readonly page: Page) {}
  async press(key: string) {
    this.presses += 1;
    await this.page.keyboard.press(key);
  }
  async type(text: string) {
    this.typed += text.length;
    await this.page.keyboard.type(text);
  }
  /** Tabs until `target` has focus (at most `max` presses). */
  async tabTo(target: ReturnType<Page['getByRole']>, max = 40) {
    for (let i = 0; i < max; i++) {
      if (await target.evaluate((el) => el === document.activeElement || el.contains(document.activeElement) || (el.getRootNode() as Document).activeElement === el)) return;
      await this.press('Tab');
    }
    throw new Error(`focus never reached ${target.toString()}`);
  }
}

test('job 1 by keyboard: the VM field has focus on load, the change is one Tab from the card, and Enter, Enter does not confirm', async ({ page, mock }, info) => {
  await mock.configure({ taskClock: 'manual', taskDurationMs: 3000 });
  await page.goto('/');
  const keys = new Keys(page);
  const vmField = page.getByRole('textbox', { name: 'Virtual machine' });
  await expect(vmField).toBeFocused();
  await keys.tabTo(vmField);
  await keys.type(DEMO.vm);
  await keys.tabTo(page.getByRole('textbox', { name: 'Network' }));
  await keys.type(DEMO.network);
  await keys.press('Enter');
  const card = page.getByRole('region', { name: 'Network interface' });
  await expect(card).toContainText('1 Gbps');
  await expect(page.getByRole('heading', { level: 2, name: 'Network interface' })).toBeFocused();
  const combobox = page.getByRole('combobox', { name: 'Speed profile' });
  await expect(combobox).toBeEnabled();
  // Nothing stands between the card's heading and the change.
  await keys.press('Tab');
  await expect(combobox).toBeFocused();
  await keys.type('10gbps');
  await keys.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Change the speed profile?' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  const toDialog = keys.presses;
  // A second Enter out of habit: Cancel has focus, so nothing is sent.
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  expect(await mock.requests(ENDPOINTS.update, 'PATCH')).toEqual([]);
  // The deliberate way: open it again (not counted: the direct path has the dialog open already), move to Confirm, press it.
  await page.keyboard.press('Enter');
  await expect(dialog).toBeVisible();
  await keys.tabTo(dialog.getByRole('button', { name: 'Confirm' }));
  await keys.press('Enter');
  await expect(page.getByRole('progressbar', { name: 'Task progress' })).toBeVisible();
  const confirmed = keys.presses;

  // When the task ends the page stays where it is, and the result is announced (an alert).
  const scrollBefore = await page.evaluate(() => window.scrollY);
  await mock.advanceTasks(3000);
  await expect(page.getByRole('alert').filter({ hasText: 'Completed' })).toBeVisible();
  await expect(card).toContainText('10 Gbps');
  expect(await page.evaluate(() => window.scrollY)).toBe(scrollBefore);
  expect(await mock.requests(ENDPOINTS.update, 'PATCH')).toHaveLength(1);

  const counted = `keys pressed to the dialog: ${toDialog}; to a confirmed change: ${confirmed} (besides ${keys.typed} typed characters)`;
  info.annotations.push({ type: 'keystrokes', description: counted });
  console.log(counted);
});

test('mount() takes no focus unless asked (autoFocus)', async ({ page }) => {
  await page.goto('/embed-example.html');
  const a = page.locator('#panel-a');
  await expect(a.getByRole('textbox', { name: 'Virtual machine' })).toBeVisible();
  expect(await page.evaluate(() => document.activeElement === document.body)).toBe(true);

  await page.evaluate(async () => {
    const el = document.createElement('div');
    el.id = 'panel-focus';
    document.body.append(el);
    const url = '/embed/katapult-panel.js';
    const { mount } = (await import(url)) as { mount: (e: HTMLElement, o: object) => void };
    mount(el, { autoFocus: true });
  });
  await expect(page.locator('#panel-focus').getByRole('textbox', { name: 'Virtual machine' })).toBeFocused();
});
