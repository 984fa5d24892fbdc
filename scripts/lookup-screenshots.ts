/**
 * `npx tsx scripts/lookup-screenshots.ts`: pictures of the lookup for docs/ (the card, and the
 * interface_not_found alert with the VM's networks), from the built app in demo mode.
 * Builds into DIST_DIR (default dist-lookup) so it does not race other builds.
 */
import { chromium } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { buildServer } from '../server/app.ts';
import { ensureBuild } from '../server/build.ts';
import { loadConfig } from '../server/config.ts';
import { DEMO } from '../src/mocks/seed.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const distDir = process.env.DIST_DIR ?? 'dist-lookup';
await ensureBuild(root, distDir);
const app = await buildServer(loadConfig({ LOG_LEVEL: 'warn', DIST_DIR: distDir }), { root, logger: false });
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1000, height: 760 } });
  await page.goto(`${base}/?vm=${DEMO.vm}&network=${DEMO.network}`);
  await page.getByRole('region', { name: 'Network interface' }).getByText('1 Gbps').waitFor();
  await page.getByRole('group', { name: 'Networks of this VM' }).waitFor();
  await page.screenshot({ path: 'docs/lookup-card.png', fullPage: true });

  await page.goto(`${base}/?vm=${DEMO.vm}&network=${DEMO.unusedNetwork}`);
  await page.getByRole('alert').getByRole('button', { name: /Private LAN/ }).waitFor();
  await page.screenshot({ path: 'docs/lookup-error.png', fullPage: true });

  await page.goto(`${base}/?vm=${DEMO.trashedVm}&network=${DEMO.network}`);
  await page.getByRole('alert').getByText('object_in_trash').waitFor();
  await page.screenshot({ path: 'docs/lookup-error-trash.png', fullPage: true });
  await page.close();
  console.log('wrote docs/lookup-card.png, docs/lookup-error.png, docs/lookup-error-trash.png');
} finally {
  await browser.close();
  await app.close();
}
