import { act, screen, within } from '@testing-library/react';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { taskKeys } from '../../../api/tasks.ts';
import type { Task } from '../../../api/types.ts';
import { renderWithProviders } from '../../../testing/test-utils.tsx';
import type { ChangeEntry } from '../activity-store.ts';
import { ActivityEntries } from './activity-entries.tsx';

const change: ChangeEntry = {
  kind: 'change',
  id: 'c1',
  at: Math.floor(Date.now() / 1000),
  vm: 'vm_t8yomYsG4bccKw5D',
  network: 'public',
  interfaceName: 'eth0',
  from: '1 Gbps',
  to: '10 Gbps',
  taskId: 'task_Running0000001',
};
const task = (status: Task['status']): Task => ({ id: change.taskId, status });
/** The log beside a stand-in for the task's "Stop following" (the app passes the tasks it follows). */
function Followed() {
  const [following, setFollowing] = useState([change.taskId]);
  return (
    <>
      <button onClick={() => setFollowing([])}>Stop following</button>
      <ActivityEntries entries={[change]} following={following} />
    </>
  );
}
const row = () => within(screen.getByRole('list', { name: 'Activity entries' })).getByRole('listitem');

describe('a change in the activity log', { timeout: 20_000 }, () => {
  it('says “Task running” only while the panel follows the task, and its end once the task query has it', async () => {
    const { queryClient, user } = await renderWithProviders(<Followed />);
    act(() => queryClient.setQueryData(taskKeys.detail(change.taskId), task('running')));
    expect(await screen.findByText('Task running')).toBeInTheDocument();
    expect(within(row()).getByRole('link', { name: /and follow task task_Running0000001/ })).toBeInTheDocument();

    // "Stop following": the task is no longer followed, and its last answer said running.
    await user.click(screen.getByRole('button', { name: 'Stop following' }));
    expect(row()).not.toHaveTextContent('Task running');
    expect(row()).toHaveTextContent('Not followed');
    expect(row()).toHaveTextContent('end not followed');

    // The task's query learns of its end (followed again from the link): the row says so.
    act(() => queryClient.setQueryData(taskKeys.detail(change.taskId), task('completed')));
    expect(await within(row()).findByText('Task completed')).toBeInTheDocument();
    expect(row()).toHaveTextContent('Changed the speed profile of interface eth0');
    expect(within(row()).getByRole('link', { name: `Open ${change.vm} on public` })).toBeInTheDocument();
  });
});
