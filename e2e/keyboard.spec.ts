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
  await page.goto('/');
  const keys = new Keys(page);
  const vmField = page.getByRole('textbox', { name: 'Virtual machine' });
  await expect(vmField).toBeVisible();
  await keys.tabTo(vmField);
  await keys.type(DEMO.vm);
  await keys.tabTo(page.getByRole('textbox', { name: 'Network' }));
  await keys.type(DEMO.network);
  await keys.press('Enter');
  const card = page.getByRole('region', { name: 'Network interface' });
  await expect(card).toContainText('1 Gbps');
  const combobox = page.getByRole('combobox', { name: 'Speed profile' });
  await expect(combobox).toBeEnabled();
  await keys.tabTo(combobox);
  await keys.type('10gbps');
  await keys.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Change the speed profile?' });
  await expect(dialog).toBeVisible();
  const beforeConfirm = keys.presses;
  console.log(`keystrokes to the dialog: ${beforeConfirm}, typed ${keys.typed}`);
  // A second Enter out of habit: Cancel has focus, so nothing is sent.
  await keys.press('Enter');
  await expect(dialog).toBeHidden();
  expect(await mock.requests(ENDPOINTS.update, 'PATCH')).toEqual([]);
  // The deliberate way: open it again, move to Confirm, press it.
  await keys.press('Enter');
  await expect(dialog).toBeVisible();
  await keys.tabTo(dialog.getByRole('button', { name: 'Confirm' }));
  await keys.press('Enter');
  await expect(page.getByRole('alert').getByText('Completed', { exact: true })).toBeVisible();
  await expect(card).toContainText('10 Gbps');
  info.annotations.push({ type: 'keystrokes', description: `to the dialog: ${beforeConfirm}; to a confirmed change: ${keys.presses - 2} (plus ${keys.typed} typed characters)` });
  console.log(`keystrokes: to the dialog ${beforeConfirm}, to a confirmed change ${keys.presses - 2}, typed ${keys.typed}`);
});
