/**
 * Following a speed change's task: how soon the end shows, how often the task is asked for, and that
 * nothing is asked once it has ended. Driven by role and name: combobox "Speed profile", button
 * "Change speed profile", the dialog's "Confirm", the text "Completed".
 */
import type { Browser } from '@playwright/test';
import { DEMO } from '../mock/seed.ts';
import { newMock } from './browser.ts';

const TASK_ENDPOINT = '/tasks/task';
const UPDATE_ENDPOINT = '/virtual_machine_network_interfaces/virtual_machine_network_interface/update_speed_profile';

export interface TaskFigures {
  durationMs: number;
  /** GET /tasks/task requests from the PATCH until the UI showed the end. */
  taskRequests: number;
  /** taskRequests per second of following (PATCH to "Completed" shown). */
  requestsPerSecond: number;
  /**
   * "Completed" shown in the page minus the moment the mock completed the task: the PATCH's entry in
   * the mock's request log plus the configured latency and task duration (mock/db.ts settles a task
   * at its start plus its duration). Both clocks are this machine's Date.now().
   */
  detectionLagMs: number;
  /** GET /tasks/task requests after the UI showed "Completed" (waited `quietMs`). */
  requestsAfterEnd: number;
  quietMs: number;
}

declare global {
  interface Window {
    __completedAt?: number;
  }
}

/**
 * Watches for the text "Completed" (an element whose own text it is) appearing from now on, outside
 * the card's region "Recent changes" and outside tables: those list earlier changes of the shared
 * audit log, whose outcomes may read "Completed" too.
 */
function watchCompleted() {
  const a11y = window.__a11y;
  const elsewhere = (el: Element) => {
    for (let e: Element | null = el; e; e = e.parentElement) {
      if (e.matches('table, [role="table"], [role="grid"]')) return true;
      if (e.matches('section, [role="region"]') && a11y.nameOf(e) === 'Recent changes') return true;
    }
    return false;
  };
  const seen = new Set<Element>();
  const completed = () =>
    [...document.querySelectorAll('body *')].filter((el) => el.childElementCount === 0 && el.textContent?.trim() === 'Completed' && !elsewhere(el));
  for (const el of completed()) seen.add(el);
  const observer = new MutationObserver(() => {
    if (window.__completedAt !== undefined) return;
    if (completed().some((el) => !seen.has(el))) {
      window.__completedAt = Date.now();
      observer.disconnect();
    }
  });
  observer.observe(document.body, { childList: true, subtree: true, characterData: true });
}

export async function followTask(browser: Browser, panelUrl: string, durationMs: number): Promise<TaskFigures> {
  const quietMs = 5000;
  const latencyMs = 0;
  const mock = await newMock(panelUrl, { latencyMs, taskDurationMs: durationMs });
  const context = await mock.context(browser);
  try {
    const page = await context.newPage();
    await page.goto(`${panelUrl}/?vm=${DEMO.vm}&network=${DEMO.network}`);
    const card = page.getByRole('region', { name: 'Network interface', exact: true });
    await card.getByText(DEMO.mac).waitFor({ timeout: 30_000 });
    const combobox = page.getByRole('combobox', { name: 'Speed profile', exact: true });
    await combobox.click();
    await page.getByRole('option', { name: /^10 Gbps/ }).click();
    await page.getByRole('button', { name: 'Change speed profile', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Confirm', exact: true }).waitFor();
    await page.evaluate(watchCompleted);
    await dialog.getByRole('button', { name: 'Confirm', exact: true }).click();
    await page.getByRole('progressbar', { name: 'Task progress', exact: true }).waitFor();
    await page.waitForFunction(() => window.__completedAt !== undefined, undefined, { timeout: durationMs + 60_000, polling: 100 });
    const shownAt = await page.evaluate(() => window.__completedAt ?? Number.NaN);
    // Any request after the end would come from a poll still scheduled: give it time to show.
    await page.waitForTimeout(quietMs);
    const log = await mock.requests();
    const patchAt = log.find((r) => r.endpoint === UPDATE_ENDPOINT && r.method === 'PATCH')?.at;
    if (patchAt === undefined) throw new Error('the mock logged no PATCH of the speed profile');
    // The mock starts the task when it answers the PATCH (its log entry, plus the configured
    // latency, here 0) and completes it the configured duration later.
    const finishedAt = patchAt + latencyMs + durationMs;
    const polls = log.filter((r) => r.endpoint === TASK_ENDPOINT && r.method === 'GET');
    const during = polls.filter((r) => r.at <= shownAt).length;
    return {
      durationMs,
      taskRequests: during,
      requestsPerSecond: during / ((shownAt - patchAt) / 1000),
      detectionLagMs: shownAt - finishedAt,
      requestsAfterEnd: polls.filter((r) => r.at > shownAt).length,
      quietMs,
    };
  } finally {
    await context.close();
  }
}
