import { act, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mockServer } from '../../../../mock/node.ts';
import { renderWithProviders } from '../../../testing/test-utils.tsx';
import { createAuditFixture, makeEntry } from '../testing/audit-fixture.ts';
import { RecentChanges } from './recent-changes.tsx';
import { auditKeys } from '../../../api/audit.ts';

const NOW = Date.parse('2026-12-01T12:00:00Z');
const IFACE = 'vmni_web1a';

async function setup(entries = [makeEntry(NOW, 5)]) {
  const fixture = createAuditFixture(entries);
  mockServer.use(fixture.handler);
  const utils = await renderWithProviders(<RecentChanges interfaceId={IFACE} />);
  return { ...utils, fixture };
}

const region = () => screen.getByRole('region', { name: 'Recent changes' });

describe('RecentChanges', () => {
  // Relative times are computed against a fixed clock; timers stay real.
  beforeEach(() => vi.useFakeTimers({ toFake: ['Date'], now: NOW }));
  afterEach(() => vi.useRealTimers());

  it('asks for the last five changes of this interface and lists who, when, from → to and the outcome', async () => {
    const entries = [
      ...Array.from({ length: 6 }, (_, i) => makeEntry(NOW, 60 * (i + 1), { user: `user${i}@example.com` })),
      makeEntry(NOW, 1, { interface_id: 'vmni_other', user: 'other@example.com' }),
    ];
    const { fixture } = await setup(entries);
    const items = await within(region()).findAllByRole('listitem');
    expect(items).toHaveLength(5);
    expect(fixture.state.requests[0]?.toString()).toBe(`interface=${IFACE}&limit=5`);
    const first = items[0]!;
    expect(first).toHaveTextContent('1 Gbps → 10 Gbps');
    expect(first).toHaveTextContent('user0@example.com');
    expect(first).toHaveTextContent('1 hour ago');
    expect(first).toHaveTextContent('Completed');
    const time = within(first).getByText('1 hour ago');
    expect(time.tagName).toBe('TIME');
    expect(time).toHaveAttribute('dateTime', entries[0]!.at);
    expect(time.getAttribute('title')).toMatch(/2026/);
    expect(region()).not.toHaveTextContent('other@example.com');
  });

  it('words each outcome as the contract says', async () => {
    await setup([
      makeEntry(NOW, 1, { outcome: 'running', last_seen_at: new Date(NOW - 30_000).toISOString(), ended_at: null }),
      makeEntry(NOW, 200, { outcome: 'running', last_seen_at: new Date(NOW - 120 * 60_000).toISOString(), ended_at: null }),
      makeEntry(NOW, 300, { outcome: 'rejected', task_id: null, error_code: 'speed_profile_already_assigned' }),
      makeEntry(NOW, 400, { outcome: 'failed' }),
      makeEntry(NOW, 500, { outcome: 'completed', from_profile: null }),
    ]);
    const items = await within(region()).findAllByRole('listitem');
    expect(items.map((i) => i.textContent)).toEqual([
      expect.stringContaining('Running'),
      expect.stringContaining('Outcome not seen · last seen running 2 hours ago'),
      expect.stringContaining('Rejected: speed_profile_already_assigned'),
      expect.stringContaining('Failed'),
      expect.stringContaining('unknown → 10 Gbps'),
    ]);
    expect(items[4]).toHaveTextContent('Completed');
  });

  it('marks a change whose names only the panel reported, and no other', async () => {
    await setup([makeEntry(NOW, 5, { from_source: 'panel', user: 'panel@example.com' }), makeEntry(NOW, 10, { user: 'katapult@example.com' })]);
    const [fromPanel, fromKatapult] = await within(region()).findAllByRole('listitem');
    expect(fromPanel).toHaveTextContent('names as reported by the panel');
    expect(fromKatapult).not.toHaveTextContent('reported by the panel');
  });

  it('says so when no change was made through the panel', async () => {
    await setup([makeEntry(NOW, 3, { interface_id: 'vmni_other' })]);
    expect(await within(region()).findByText('No changes through this panel.')).toBeVisible();
    expect(within(region()).queryByRole('list')).not.toBeInTheDocument();
  });

  it('shows that it is loading until the answer is in', async () => {
    await setup();
    expect(within(region()).getByLabelText('Loading recent changes')).toBeInTheDocument();
    await within(region()).findByRole('listitem');
    expect(within(region()).queryByLabelText('Loading recent changes')).not.toBeInTheDocument();
  });

  it('shows audit_unavailable with its code when the log cannot be read', async () => {
    const fixture = createAuditFixture();
    fixture.failNext({
      status: 503,
      json: { error: { code: 'audit_unavailable', description: 'The audit database is unavailable.' } },
    });
    mockServer.use(fixture.handler);
    await renderWithProviders(<RecentChanges interfaceId={IFACE} />);
    expect(await within(region()).findByRole('alert')).toHaveTextContent('audit_unavailable');
  });

  it('shows an answer that is not JSON with its HTTP status, without crashing', async () => {
    const fixture = createAuditFixture();
    fixture.failNext({ status: 502, raw: '<html><body><h1>502 Bad Gateway</h1></body></html>' });
    mockServer.use(fixture.handler);
    await renderWithProviders(<RecentChanges interfaceId={IFACE} />);
    expect(await within(region()).findByRole('alert')).toHaveTextContent('HTTP 502');
  });

  it('shows a new change once the app invalidates the audit queries', async () => {
    const { fixture, queryClient } = await setup([makeEntry(NOW, 60)]);
    expect(await within(region()).findAllByRole('listitem')).toHaveLength(1);
    fixture.state.entries.push(makeEntry(NOW, 0, { outcome: 'pending', user: 'bo@example.com', ended_at: null }));
    await act(() => queryClient.invalidateQueries({ queryKey: auditKeys.all }));
    await waitFor(() => expect(within(region()).getAllByRole('listitem')).toHaveLength(2));
    const items = within(region()).getAllByRole('listitem');
    expect(items[0]).toHaveTextContent('bo@example.com');
    expect(items[0]).toHaveTextContent('Pending');
  });

  it('links to the Audit view filtered to this interface', async () => {
    const { user, router } = await setup();
    const link = within(region()).getByRole('link', { name: 'All changes in the audit log' });
    expect(link).toHaveAttribute('href', `/?view=audit&interface=${IFACE}`);
    await user.click(link);
    await waitFor(() => expect(router.state.location.searchStr).toBe(`?view=audit&interface=${IFACE}`));
  });
});
