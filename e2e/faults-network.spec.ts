/**
 * Fault matrix, the network. Already covered elsewhere: a slow lookup overtaken by a newer one
 * (e2e/lookup.spec.ts "shows the second of two quick lookups when the first is slower"); the
 * server's own answers to a refused, slow or vanishing upstream (server/resilience.test.ts).
 */
import type { Page } from '@playwright/test';
import type { AddressInfo, Socket } from 'node:net';
import { buildServer } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { getDb, resetDb } from '../mock/db.ts';
import { DEMO } from '../mock/seed.ts';
import { ENDPOINTS, expect, lookUp, test } from './fixtures.ts';

const card = (page: Page) => page.getByRole('region', { name: 'Network interface' });
/** What Chromium logs for a request that got no HTTP answer; expected here, not an app error. */
const NO_ANSWER = /^console: Failed to load resource: net::ERR_(FAILED|CONNECTION_REFUSED|EMPTY_RESPONSE)/;

test('a lookup aborted in the browser is retried twice, then said plainly, and Try again recovers', async ({ page, mock, pageErrors }) => {
  let aborted = 0;
  await page.route('**/api/virtual_machines/virtual_machine/networks/network/interface?**', async (route) => {
    if (aborted < 3) {
      aborted += 1;
      return route.abort('failed');
    }
    return route.fallback();
  });
  await page.goto('/');
  await lookUp(page, DEMO.vm, DEMO.network);
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('The panel could not reach its server');
  await expect(alert).toContainText('network error');
  expect(aborted).toBe(3);
  expect(await mock.requests(ENDPOINTS.lookup)).toHaveLength(0);
  await alert.getByRole('button', { name: 'Try again' }).click();
  await expect(card(page)).toContainText(DEMO.mac);
  expect(await mock.requests(ENDPOINTS.lookup)).toHaveLength(1);
  pageErrors.splice(0, pageErrors.length, ...pageErrors.filter((e) => !NO_ANSWER.test(e)));
});

test('Katapult unreachable from the server (connection refused) shows upstream_unreachable, and recovers when it is back', async ({
  page,
  mock,
}) => {
  await mock.fault({ endpoint: ENDPOINTS.lookup, networkError: true, times: 3 });
  await page.goto('/');
  await lookUp(page, DEMO.vm, DEMO.network);
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('The panel’s server could not reach Katapult');
  await expect(alert).toContainText('upstream_unreachable · HTTP 502');
  expect(await mock.requests(ENDPOINTS.lookup)).toHaveLength(3);
  await alert.getByRole('button', { name: 'Try again' }).click();
  await expect(card(page)).toContainText(DEMO.mac);
});

test('Katapult slower than the server’s timeout shows upstream_timeout after the automatic retries', async ({ page, mock }) => {
  // The server's real timeout is tested in server/resilience.test.ts; here, what the user sees of its 504.
  await mock.fault({
    endpoint: ENDPOINTS.lookup,
    status: 504,
    code: 'upstream_timeout',
    description: 'Katapult did not answer within 15 s.',
    detail: { timeout_seconds: 15 },
  });
  await page.goto('/');
  await lookUp(page, DEMO.vm, DEMO.network);
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('Katapult did not answer in time');
  await expect(alert).toContainText('upstream_timeout · HTTP 504');
  expect(await mock.requests(ENDPOINTS.lookup)).toHaveLength(3);
});

test('a PATCH the server could not deliver to Katapult is shown with its code and not resent', async ({ page, mock }) => {
  await page.goto('/');
  await lookUp(page, DEMO.vm, DEMO.network);
  await expect(card(page)).toContainText('1 Gbps');
  await mock.fault({ endpoint: ENDPOINTS.update, method: 'PATCH', networkError: true, times: 1 });
  await page.getByRole('combobox', { name: 'Speed profile' }).click();
  await page.getByRole('option', { name: /^10 Gbps/ }).click();
  await page.getByRole('button', { name: 'Change speed profile' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
  const alert = page.getByRole('alert').filter({ hasText: 'upstream_unreachable' });
  await expect(alert).toContainText('The panel’s server could not reach Katapult');
  await expect(alert).toContainText('upstream_unreachable · HTTP 502');
  await page.waitForTimeout(1500); // a quiet period: no automatic resend
  expect(await mock.requests(ENDPOINTS.update, 'PATCH')).toHaveLength(1);
  expect(await mock.requests(ENDPOINTS.task)).toHaveLength(0);
  await expect(card(page)).toContainText('1 Gbps');
});

/**
 * Where the restart test was, and its server's open connections: printed when it fails, since a
 * test timeout names no line when it strikes outside Playwright's own calls (a close, a listen).
 */
let restartDiagnosis: (() => string) | undefined;
// eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form
test.afterEach(({}, testInfo) => {
  if (restartDiagnosis && testInfo.status !== testInfo.expectedStatus) console.log(restartDiagnosis());
  restartDiagnosis = undefined;
});

test('the panel’s server restarting while a task is followed: polling resumes by itself and the task completes', async ({
  page,
  mock,
  pageErrors,
}) => {
  const phases = ['starting the panel’s server'];
  const connections = new Set<Socket>();
  restartDiagnosis = () =>
    `The restart test got as far as: ${phases.join(' → ')}. Open connections: ${
      [...connections].map((s) => `port ${s.remotePort} (read ${s.bytesRead} B, written ${s.bytesWritten} B)`).join(', ') || 'none'
    }.`;
  // A test-owned panel server, in this process: its mock state (Katapult's side) survives the
  // panel server's restart, as Katapult's tasks survive a restart of the real panel.
  const start = async (port: number) => {
    const app = await buildServer(loadConfig({ LOG_LEVEL: 'silent', DIST_DIR: process.env.DIST_DIR ?? 'dist' }), { logger: false });
    app.server.on('connection', (socket: Socket) => {
      connections.add(socket);
      socket.once('close', () => connections.delete(socket));
    });
    await app.listen({ host: '127.0.0.1', port });
    return app;
  };
  let app = await start(0);
  const port = (app.server.address() as AddressInfo).port;
  try {
    // The task stands still until the panel's server is back, however long the restart takes here.
    resetDb(mock.session, { taskDurationMs: 7000, taskClock: 'manual' });
    const log = () => getDb(mock.session).log;
    await page.goto(`http://127.0.0.1:${port}/?vm=${DEMO.vm}&network=${DEMO.network}`);
    await expect(card(page)).toContainText('1 Gbps');
    await page.getByRole('combobox', { name: 'Speed profile' }).click();
    await page.getByRole('option', { name: /^10 Gbps/ }).click();
    await page.getByRole('button', { name: 'Change speed profile' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
    await expect(page.getByRole('progressbar', { name: 'Task progress' })).toBeVisible();

    phases.push('closing the panel’s server mid-task');
    await app.close();
    phases.push('waiting for the page to say it cannot reach the server');
    await expect(page.getByRole('status').filter({ hasText: 'The panel cannot reach its server' })).toBeVisible();
    phases.push('starting the panel’s server again');
    app = await start(port);
    phases.push('following the task after the restart');
    const restartedAt = Date.now();
    getDb(mock.session).advance(7000);

    // After failed polls the next try can be as far off as pollRetryDelay's cap, past expect's default wait.
    await expect(page.getByRole('alert').getByText('Completed', { exact: true })).toBeVisible({ timeout: 20_000 });
    await expect(card(page)).toContainText('10 Gbps');
    expect(log().filter((r) => r.method === 'PATCH')).toHaveLength(1);
    expect(log().filter((r) => r.endpoint === ENDPOINTS.task && r.at >= restartedAt).length).toBeGreaterThan(0);
    const gets = log().filter((r) => r.endpoint === ENDPOINTS.task).length;
    await page.waitForTimeout(2500); // a quiet period: nothing after the task is terminal
    expect(log().filter((r) => r.endpoint === ENDPOINTS.task)).toHaveLength(gets);
  } finally {
    phases.push('closing the panel’s server at the end');
    await app.close();
  }
  pageErrors.splice(0, pageErrors.length, ...pageErrors.filter((e) => !NO_ANSWER.test(e)));
});
