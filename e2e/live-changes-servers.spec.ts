/**
 * The team's changes, live, across servers: alice's panel is served by one server process and bob's
 * by another, in live mode, both on one PostgreSQL and one fake Katapult (the demo mock served over
 * HTTP, every request in its default session, so both servers see the same interfaces and tasks).
 * A change made through server A reaches bob's panel on server B through PostgreSQL's LISTEN/NOTIFY.
 * This spec starts its own PostgreSQL, Katapult and two servers; it does not use the suite's server.
 */
import { expect, test, type Page } from '@playwright/test';
import pg from 'pg';
import { DEMO } from '../mock/seed.ts';
import { startPostgres, type RunningPostgres } from '../server/testing/postgres.ts';
import { spawnServer, type ChildServer } from '../server/testing/spawn-server.ts';
import { DEMO_ORIGIN, demoUpstream, serveUpstream } from '../server/upstream.ts';
import { lookUp, watch } from './fixtures.ts';

const card = (page: Page) => page.getByRole('region', { name: 'Network interface' });

let postgres: RunningPostgres | undefined;
let katapult: { url: string; close: () => Promise<void> } | undefined;
const servers: ChildServer[] = [];

/** The fake Katapult's own controls (its default session: the one both servers' requests land in). */
async function control(path: string, body: unknown) {
  const r = await fetch(`${katapult!.url}/__mock/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(r.ok, `/__mock/${path} answered ${r.status}`).toBe(true);
}

test.beforeAll(async () => {
  // initdb and two servers starting from source: longer than a test's own minute.
  test.setTimeout(180_000);
  postgres = await startPostgres();
  const admin = new pg.Client({ connectionString: postgres.url });
  await admin.connect();
  await admin.query('create database live_changes');
  await admin.end();
  katapult = await serveUpstream(demoUpstream, DEMO_ORIGIN);
  const env = {
    KATAPULT_API_URL: `${katapult.url}/core/v1`,
    KATAPULT_API_TOKEN: 'e2e-two-servers-token',
    DATABASE_URL: postgres.url.replace(/\/postgres$/, '/live_changes'),
    DIST_DIR: 'dist',
  };
  // One after the other: both migrate the same database on start.
  servers.push(await spawnServer(env));
  servers.push(await spawnServer(env));
});

test.afterAll(async () => {
  for (const s of servers.splice(0)) await s.kill();
  await katapult?.close();
  postgres?.stop();
});

test('bob on server B sees alice’s change made through server A start, progress and end, then the new profile', async ({ browser }) => {
  await control('reset', { taskClock: 'manual', taskDurationMs: 10_000 });
  const [a, b] = servers;
  const errors: string[] = [];
  const aliceContext = await browser.newContext({ baseURL: a!.url });
  const bobContext = await browser.newContext({ baseURL: b!.url });
  try {
    const alice = await aliceContext.newPage();
    const bob = await bobContext.newPage();
    watch(alice, errors);
    watch(bob, errors);

    await bob.goto(`/?vm=${DEMO.vm}&network=${DEMO.network}`);
    await expect(card(bob)).toContainText('1 Gbps');
    await expect(bob.getByRole('region', { name: 'Recent changes' })).toBeVisible();

    await alice.goto('/');
    await lookUp(alice, DEMO.vm, DEMO.network);
    await alice.getByRole('combobox', { name: 'Speed profile' }).click();
    await alice.getByRole('option', { name: /^10 Gbps/ }).click();
    await alice.getByRole('button', { name: 'Change speed profile' }).click();
    await alice.getByRole('dialog', { name: 'Change the speed profile?' }).getByRole('button', { name: 'Confirm' }).click();

    await expect(bob.getByRole('status').filter({ hasText: /^Changing to 10 Gbps: started by unknown/ })).toBeVisible();
    const bar = bob.getByRole('progressbar', { name: 'Task progress' });
    await expect(bar).toBeVisible();
    await control('advance', { ms: 5500 });
    await expect(bar).toHaveAttribute('aria-valuenow', /^[1-9]\d$/);
    await control('advance', { ms: 5000 });
    await expect(bar).toBeHidden();
    await expect(card(bob)).toContainText('10 Gbps');
    await expect(bob.getByRole('button', { name: 'Change speed profile' })).toBeEnabled();
    expect(errors, 'uncaught errors or console errors in the pages').toEqual([]);
  } finally {
    await aliceContext.close();
    await bobContext.close();
  }
});
