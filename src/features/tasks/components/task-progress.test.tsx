import { act, fireEvent, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MockConfig } from '../../../../mock/db.ts';
import { DEMO } from '../../../../mock/seed.ts';
import { mockDb, renderWithProviders, requestsTo } from '../../../testing/test-utils.tsx';
import type { Task } from '../../../api/types.ts';
import { retryDelay } from '../../../lib/query-client.ts';
import { TaskProgress } from './task-progress.tsx';
import { GIVE_UP_AFTER_MS, isTerminal, taskKeys } from '../../../api/tasks.ts';

const TASK = '/tasks/task';

/** Lets fake time pass in small steps, so each answer arrives before the next timer is due. */
async function pass(ms: number, step = 50) {
  for (let t = 0; t < ms; t += step) await act(() => vi.advanceTimersByTimeAsync(step));
}

function startTask(config: Partial<MockConfig>) {
  const db = mockDb();
  db.config = { ...db.config, ...config };
  return db.createTask(DEMO.interface, 'nsp_10GbpsProfile001');
}

async function renderTask(taskId: string) {
  const utils = await renderWithProviders(<TaskProgress taskId={taskId} summary="10 Gbps on eth0 of web-01" onDismiss={() => {}} />);
  // The task's answers as the query cache reports them: the panel acts on its end from these (src/app/panel-events.ts).
  const answers: (string | undefined)[] = [];
  utils.queryClient.getQueryCache().subscribe((e) => {
    if (e.type === 'updated' && e.action.type === 'success' && e.query.queryKey[0] === taskKeys.all[0]) answers.push((e.query.state.data as Task).status);
  });
  const ends = () => answers.filter((status) => isTerminal({ status } as Task));
  return { ...utils, ends };
}

const gaps = () => {
  const at = requestsTo(TASK).map((r) => r.at);
  return at.slice(1).map((t, i) => t - (at[i] ?? 0));
};

describe('TaskProgress polling', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('polls every second at first and slows down to at most 5 s', async () => {
    const task = startTask({ taskDurationMs: 120_000 });
    await renderTask(task.id);
    await pass(45_000, 100);
    const g = gaps();
    expect(g.length).toBeGreaterThanOrEqual(14);
    // 1 s for the first answers, then 1.25 s, 1.6 s, 2 s, 2.4 s, 3 s, 3.8 s, 4.8 s, then 5 s each
    // (measured from the previous answer).
    expect(g[0]).toBeGreaterThanOrEqual(1000);
    expect(g[0]).toBeLessThan(1300);
    expect(g[g.length - 1]).toBeGreaterThan((g[0] ?? 0) * 3);
    for (let i = 1; i < g.length; i++) expect(g[i] ?? 0).toBeGreaterThanOrEqual((g[i - 1] ?? 0) - 100);
    expect(Math.max(...g)).toBeLessThanOrEqual(5200);
    expect(g.at(-1)).toBeGreaterThanOrEqual(4900);
    expect(screen.getByRole('progressbar', { name: 'Task progress' })).toHaveAttribute('aria-valuenow');
    expect(screen.getByRole('status')).toHaveTextContent('Running');
    expect(screen.getByText(/\d+ s elapsed/)).toBeInTheDocument();
  });

  it('reads “Queued” while Katapult has not started the task, without a percentage or a time', async () => {
    const task = startTask({ taskDurationMs: 120_000 });
    await renderTask(task.id);
    await pass(100);
    expect(screen.getByRole('status')).toHaveTextContent(/^Queued/);
    expect(screen.getByRole('status')).not.toHaveTextContent(/%|elapsed/);
    expect(screen.queryByText(/elapsed/)).toBeNull();
  });

  it('says that the change goes on when the user stops following it', async () => {
    const task = startTask({ taskDurationMs: 120_000 });
    await renderTask(task.id);
    await pass(100);
    expect(screen.getByRole('button', { name: 'Stop following' })).toHaveAccessibleDescription(/the change goes on at Katapult/);
  });

  it('stops at completed: not one request after the terminal answer', async () => {
    const task = startTask({ taskDurationMs: 3000 });
    const { ends, queryClient } = await renderTask(task.id);
    await pass(8000);
    expect(screen.getByText('Completed')).toBeInTheDocument();
    expect(screen.queryByRole('progressbar')).not.toBeInTheDocument();
    const sent = requestsTo(TASK).length;
    console.log(`component test: a 3-second task took ${sent} task requests (mock clock)`);
    await pass(30_000, 500);
    expect(requestsTo(TASK)).toHaveLength(sent);
    expect(ends()).toEqual(['completed']);
    expect(queryClient.getQueryData<Task>(taskKeys.detail(task.id))?.status).toBe('completed');
  });

  it('stops at failed and says what to do', async () => {
    const task = startTask({ taskDurationMs: 2000, taskOutcome: 'fail' });
    await renderTask(task.id);
    await pass(8000);
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent('Failed');
    expect(alert).toHaveTextContent('escalate to Katapult');
    const sent = requestsTo(TASK).length;
    await pass(20_000, 500);
    expect(requestsTo(TASK)).toHaveLength(sent);
  });

  it('stops when unmounted', async () => {
    const task = startTask({ taskDurationMs: 120_000 });
    const { unmount } = await renderTask(task.id);
    await pass(3000);
    unmount();
    const sent = requestsTo(TASK).length;
    expect(sent).toBeGreaterThan(2);
    await pass(30_000, 500);
    expect(requestsTo(TASK)).toHaveLength(sent);
  });

  it('shows an indeterminate progressbar when Katapult reports no progress', async () => {
    const task = startTask({ taskDurationMs: 60_000, taskProgress: 'absent' });
    await renderTask(task.id);
    await pass(1000);
    expect(screen.getByRole('progressbar', { name: 'Task progress' })).not.toHaveAttribute('aria-valuenow');
  });

  it('waits out a 429 with the shared rate-limit delay, tells the user, and carries on to completion', async () => {
    const task = startTask({ taskDurationMs: 20_000 });
    mockDb().addFaults([{ endpoint: TASK, status: 429, code: 'rate_limit_reached', detail: { total_permitted: 4 }, times: 1 }]);
    await renderTask(task.id);
    await pass(500);
    expect(screen.getByText(/rate limit was reached \(4 requests a minute\)/)).toBeInTheDocument();
    expect(screen.getByText(/rate_limit_reached · HTTP 429/)).toBeInTheDocument();
    await pass(40_000, 250);
    expect(screen.getByText('Completed')).toBeInTheDocument();
    // The retry after the 429 waits the panel's one rate-limit delay, then polling resumes its schedule.
    const wait = retryDelay(0, { status: 429, code: 'rate_limit_reached' } as Parameters<typeof retryDelay>[1]);
    expect(gaps()[0]).toBeGreaterThanOrEqual(wait - 100);
    expect(gaps()[0]).toBeLessThan(wait + 1000);
  });

  it('keeps retrying through 503s and lost connections, telling the user', async () => {
    const task = startTask({ taskDurationMs: 4000 });
    mockDb().addFaults([
      { endpoint: TASK, status: 503, code: 'service_unavailable', times: 2 },
      { endpoint: TASK, networkError: true, times: 2 },
    ]);
    await renderTask(task.id);
    await pass(200);
    expect(screen.getByText(/Katapult is not answering properly: still trying/)).toBeInTheDocument();
    await pass(3500); // the shared retry delays: 503 at 0 s and 0.5 s, lost connection at 1.5 s and 3.5 s
    expect(screen.getByText(/cannot reach its server: still trying/)).toBeInTheDocument();
    await pass(20_000, 250);
    expect(screen.getByText('Completed')).toBeInTheDocument();
  });

  it('stops after 10 minutes without an end, says so, and offers Check again', async () => {
    const task = startTask({ taskOutcome: 'stuck' });
    await renderTask(task.id);
    await pass(GIVE_UP_AFTER_MS + 10_000, 1000);
    expect(screen.getByText(/has not finished after 10 min 0 s, so the panel stopped checking/)).toBeInTheDocument();
    const sent = requestsTo(TASK).length;
    await pass(60_000, 1000);
    expect(requestsTo(TASK)).toHaveLength(sent);
    fireEvent.click(screen.getByRole('button', { name: 'Check again' }));
    await pass(1000);
    expect(requestsTo(TASK).length).toBeGreaterThan(sent);
    expect(screen.queryByText(/stopped checking/)).not.toBeInTheDocument();
  }, 60_000);
});
