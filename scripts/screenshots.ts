/**
 * `npm run screenshots`: README pictures taken from the running app (built, served in demo mode).
 * Writes docs/screenshot-*.png.
 */
import { chromium } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { buildServer } from '../server/app.ts';
import { ensureBuild } from '../server/build.ts';
import { loadConfig } from '../server/config.ts';
import { DEMO } from '../src/mocks/seed.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
await ensureBuild(root);
const app = await buildServer(loadConfig({ LOG_LEVEL: 'warn' }), { root, logger: false });
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  for (const scheme of ['light', 'dark'] as const) {
    const page = await browser.newPage({ viewport: { width: 1000, height: 820 }, colorScheme: scheme });
    await page.goto(`${base}/?vm=${DEMO.vm}&network=${DEMO.network}`);
    await page.getByRole('region', { name: 'Network interface' }).getByText('1 Gbps').waitFor();
    const suffix = scheme === 'light' ? '' : '-dark';
    await page.screenshot({ path: `docs/screenshot-card${suffix}.png`, fullPage: true });
    await page.close();
  }
  console.log('wrote docs/screenshot-card.png, docs/screenshot-card-dark.png');
} finally {
  await browser.close();
  await app.close();
}
