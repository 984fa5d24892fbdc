/**
 * `npm run screenshots`: README pictures taken from the running app (built into its own
 * directory, served in demo mode), in light and dark:
 *   docs/screenshots/{card,audit,change-dialog,task-running,colleague-live,error,error-interface-not-found,error-trash}-{light,dark}.png
 * and, light only, the compact pane at 1000×600 with a change running (pane-compact.png) and a
 * change's ticket paragraph as copied (ticket-paragraph.png). `SHOTS_ONLY=pane` takes only those two.
 * Each picture gets its own mock session, so a long task can be caught while it runs.
 * `SHOTS=card,audit npm run screenshots` takes only those.
 */
import { chromium, type Page } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildServer } from '../server/app.ts';
import { openAuditStore } from '../server/audit/store.ts';
import { createChangeFeed } from '../server/changes/feed.ts';
import { loadConfig } from '../server/config.ts';
import { PANEL_HEADER } from '../protocol/panel.ts';
import { ensureSpaBuild } from './ensure-build.ts';
import { SESSION_COOKIE } from '../mock/db.ts';
import { DEMO } from '../mock/seed.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const distDir = process.env.DIST_DIR ?? 'dist-screenshots';
const outDir = 'docs/screenshots';
await ensureSpaBuild(root, distDir);
// A fresh audit log of its own, so the pictures show only the changes made here.
const auditDir = mkdtempSync(join(tmpdir(), 'panel-screenshots-'));
const config = loadConfig({ LOG_LEVEL: 'warn', DIST_DIR: distDir, PANEL_MOCK_CONTROLS: '1', AUDIT_DB: join(auditDir, 'audit.sqlite') });
const feed = await createChangeFeed(config.audit);
const app = await buildServer(config, { root, logger: false, audit: await openAuditStore(config.audit, { feed }), feed });
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});

const card = (page: Page) => page.getByRole('region', { name: 'Network interface' });

async function showCard(page: Page) {
  await page.goto(`${base}/?vm=${DEMO.vm}&network=${DEMO.network}`);
  await card(page).getByText('1 Gbps').first().waitFor();
}

async function openDialog(page: Page) {
  await showCard(page);
  await page.getByRole('combobox', { name: 'Speed profile' }).click();
  await page.getByRole('option', { name: /^10 Gbps/ }).click();
  await page.getByRole('button', { name: 'Change speed profile' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).waitFor();
}

/** A change to 10 Gbps followed to its end: the card's Recent changes and the audit log then list it. */
async function changeAndWait(page: Page) {
  await openDialog(page);
  await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
  await page.getByRole('alert').getByText('Completed', { exact: true }).waitFor({ timeout: 60_000 });
  await page.getByRole('region', { name: 'Recent changes' }).getByRole('listitem').first().waitFor();
}

const SHOTS: { name: string; fullPage: boolean; setUp: (page: Page) => Promise<void> }[] = [
  { name: 'card', fullPage: true, setUp: changeAndWait },
  {
    name: 'audit',
    fullPage: true,
    setUp: async (page) => {
      await changeAndWait(page);
      await page.goto(`${base}/?view=audit`);
      await page.getByRole('table', { name: 'Audit log' }).getByRole('row').nth(1).waitFor();
    },
  },
  { name: 'change-dialog', fullPage: false, setUp: openDialog },
  {
    name: 'task-running',
    fullPage: true,
    setUp: async (page) => {
      const r = await page.request.post(`${base}/__mock/config`, { data: { taskDurationMs: 120_000 }, headers: { [PANEL_HEADER]: '1' } });
      if (!r.ok()) throw new Error(`/__mock/config answered ${r.status()}`);
      await openDialog(page);
      await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
      await page.getByRole('dialog').waitFor({ state: 'hidden' });
      await page.getByRole('progressbar', { name: 'Task progress' }).waitFor();
      await page.getByRole('status').filter({ hasText: /^Running/ }).waitFor();
    },
  },
  {
    // A colleague's change seen live: this tab showed the card first, then another tab of the same
    // demo session (another engineer on the same Katapult) started a long change.
    name: 'colleague-live',
    fullPage: true,
    setUp: async (page) => {
      const r = await page.request.post(`${base}/__mock/config`, { data: { taskDurationMs: 120_000 }, headers: { [PANEL_HEADER]: '1' } });
      if (!r.ok()) throw new Error(`/__mock/config answered ${r.status()}`);
      await showCard(page);
      const colleague = await page.context().newPage();
      await openDialog(colleague);
      await colleague.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
      await page.getByRole('status').filter({ hasText: /^Changing to 10 Gbps: started by/ }).waitFor();
      await page.getByRole('progressbar', { name: 'Task progress' }).waitFor();
      await page.locator('[role="progressbar"][aria-valuenow]:not([aria-valuenow="0"])').waitFor();
      await colleague.close();
    },
  },
  {
    name: 'error',
    fullPage: true,
    setUp: async (page) => {
      await page.goto(`${base}/?vm=vm_DoesNotExist0001&network=${DEMO.network}`);
      await page.getByRole('alert').first().getByText('virtual_machine_not_found').waitFor();
    },
  },
  {
    name: 'error-interface-not-found',
    fullPage: true,
    setUp: async (page) => {
      await page.goto(`${base}/?vm=${DEMO.vm}&network=${DEMO.unusedNetwork}`);
      await page.getByRole('alert').first().getByText('interface_not_found').waitFor();
    },
  },
  {
    name: 'error-trash',
    fullPage: true,
    setUp: async (page) => {
      await page.goto(`${base}/?vm=${DEMO.trashedVm}&network=${DEMO.network}`);
      await page.getByRole('alert').first().getByText('object_in_trash').waitFor();
    },
  },
];

/** The panel in a portal's 1000×600 pane (compact by itself below 700 px), a change running. */
async function paneShot() {
  const context = await browser.newContext({ viewport: { width: 1000, height: 600 }, colorScheme: 'light', reducedMotion: 'reduce' });
  await context.addCookies([{ name: SESSION_COOKIE, value: randomUUID(), url: base }]);
  const page = await context.newPage();
  const r = await page.request.post(`${base}/__mock/config`, { data: { taskDurationMs: 120_000 }, headers: { [PANEL_HEADER]: '1' } });
  if (!r.ok()) throw new Error(`/__mock/config answered ${r.status()}`);
  await openDialog(page);
  await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
  await page.getByRole('status').filter({ hasText: /^Running/ }).waitFor();
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.screenshot({ path: `${outDir}/pane-compact.png`, animations: 'disabled' });
  await context.close();
  return `${outDir}/pane-compact.png`;
}

/** A completed change's "Copy for ticket" paragraph, shown as it lands in a ticket. */
async function ticketShot() {
  const context = await browser.newContext({ viewport: { width: 900, height: 260 }, colorScheme: 'light', reducedMotion: 'reduce' });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
  await context.addCookies([{ name: SESSION_COOKIE, value: randomUUID(), url: base }]);
  const page = await context.newPage();
  await changeAndWait(page);
  await card(page).getByRole('button', { name: 'Copy for ticket' }).click();
  const text = await page.evaluate(() => navigator.clipboard.readText());
  await page.setContent(
    `<main style="font: 15px/1.5 system-ui, sans-serif; padding: 24px; color: #1b1f24"><p style="margin: 0 0 8px; color: #545d68">Pasted into a ticket:</p><blockquote style="margin: 0; padding: 12px 16px; border-left: 4px solid #1f5fbf; background: #f4f5f7"></blockquote></main>`,
  );
  await page.locator('blockquote').evaluate((el, t) => (el.textContent = t), text);
  await page.screenshot({ path: `${outDir}/ticket-paragraph.png`, fullPage: true });
  await context.close();
  return `${outDir}/ticket-paragraph.png`;
}

const written: string[] = [];
const only = process.env.SHOTS_ONLY;
try {
  mkdirSync(outDir, { recursive: true });
  written.push(await paneShot(), await ticketShot());
  for (const scheme of only === 'pane' ? [] : (['light', 'dark'] as const)) {
    for (const shot of SHOTS.filter((s) => !process.env.SHOTS || process.env.SHOTS.split(',').includes(s.name))) {
      const context = await browser.newContext({ viewport: { width: 1000, height: 760 }, colorScheme: scheme, reducedMotion: 'reduce' });
      await context.addCookies([{ name: SESSION_COOKIE, value: randomUUID(), url: base }]);
      const page = await context.newPage();
      await shot.setUp(page);
      // Nothing focused (no focus ring, no caret) unless the picture is about focus.
      if (shot.name !== 'change-dialog') await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      const path = `${outDir}/${shot.name}-${scheme}.png`;
      await page.screenshot({ path, fullPage: shot.fullPage, animations: 'disabled' });
      written.push(path);
      await context.close();
    }
  }
  console.log(`wrote ${written.join(', ')}`);
} finally {
  await browser.close();
  await app.close();
}
