/**
 * `npx tsx scripts/screenshots-change.ts`: pictures of the speed-profile change, from the built app
 * in demo mode: docs/change-dialog.png (the confirmation) and docs/task-running.png (a task being
 * followed). Each picture has its own mock session, so the task can be caught while it runs.
 */
import { chromium, type Page } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { buildServer } from '../server/app.ts';
import { ensureBuild } from '../server/build.ts';
import { loadConfig } from '../server/config.ts';
import { SESSION_COOKIE } from '../src/mocks/db.ts';
import { DEMO } from '../src/mocks/seed.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const distDir = process.env.DIST_DIR ?? 'dist-change';
await ensureBuild(root, distDir);
const app = await buildServer(loadConfig({ LOG_LEVEL: 'warn', DIST_DIR: distDir }), { root, logger: false });
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});

async function session(taskDurationMs: number): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
  const id = randomUUID();
  await context.addCookies([{ name: SESSION_COOKIE, value: id, url: base }]);
  await context.request.post(`${base}/__mock/reset`, { data: { taskDurationMs }, headers: { cookie: `${SESSION_COOKIE}=${id}` } });
  const page = await context.newPage();
  await page.goto(`${base}/?vm=${DEMO.vm}&network=${DEMO.network}`);
  await page.getByRole('region', { name: 'Network interface' }).getByText('1 Gbps').first().waitFor();
  await page.getByRole('combobox', { name: 'Speed profile' }).click();
  await page.getByRole('option', { name: /^10 Gbps/ }).click();
  await page.getByRole('button', { name: 'Change speed profile' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).waitFor();
  return page;
}

try {
  const dialog = await session(60_000);
  await dialog.waitForTimeout(400); // let the dialog's enter transition finish
  await dialog.screenshot({ path: 'docs/change-dialog.png' });
  await dialog.context().close();

  const running = await session(60_000);
  await running.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
  await running.getByRole('status').filter({ hasText: /Running · [1-9]\d*%/ }).waitFor({ timeout: 20_000 });
  await running.getByRole('dialog').waitFor({ state: 'detached' });
  await running.screenshot({ path: 'docs/task-running.png', fullPage: true });
  await running.context().close();
  console.log('wrote docs/change-dialog.png, docs/task-running.png');
} finally {
  await browser.close();
  await app.close();
}
