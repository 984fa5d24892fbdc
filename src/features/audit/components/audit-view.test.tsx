import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { UserEvent } from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mockServer } from '../../../../mock/node.ts';
import { renderWithProviders } from '../../../testing/test-utils.tsx';
import { createAuditFixture, makeEntry, TEST_API_BASE } from '../testing/audit-fixture.ts';
import { AuditView, type AuditViewProps } from './audit-view.tsx';
import type { AuditEntry } from '../../../../protocol/audit.ts';

const NOW = Date.parse('2026-12-01T12:00:00Z');

async function setup(entries: AuditEntry[], { url = '/?view=audit', props = {} }: { url?: string; props?: AuditViewProps } = {}) {
  const fixture = createAuditFixture(entries);
  mockServer.use(fixture.handler);
  const utils = await renderWithProviders(<AuditView {...props} />, { url });
  /** The panel's URL as the router holds it (`?view=audit&…`). */
  const search = () => utils.router.state.location.searchStr;
  return { ...utils, fixture, search };
}

/**
 * "Export CSV" is a real link to the CSV (new tab, copy); a plain click fetches it through the
 * client and hands it to the browser as a file (an `<a download>` clicked with the blob's URL).
 * Returns the link's query string, after checking that the click asked for the same one.
 */
async function exportCsv(user: UserEvent) {
  const asked: string[] = [];
  mockServer.use(
    http.get(`${TEST_API_BASE}/panel/audit.csv`, ({ request }) => {
      asked.push(new URL(request.url).search);
      return new HttpResponse('at,user\n', { headers: { 'content-type': 'text/csv' } });
    }),
  );
  const blobUrl = vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:audit-csv');
  vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
  const saved: HTMLAnchorElement[] = [];
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    saved.push(this);
  });
  const link = screen.getByRole('link', { name: 'Export CSV' });
  const href = link.getAttribute('href') ?? '';
  expect(href.startsWith(`${TEST_API_BASE}/panel/audit.csv`)).toBe(true);
  await user.click(link);
  await waitFor(() => expect(saved).toHaveLength(1));
  expect(saved[0]).toMatchObject({ href: 'blob:audit-csv' });
  expect(saved[0]?.download).toMatch(/^audit-log_[\w.-]+\.csv$/);
  expect(blobUrl).toHaveBeenCalledWith(expect.any(Blob));
  vi.restoreAllMocks();
  expect(asked).toHaveLength(1);
  expect(`${TEST_API_BASE}/panel/audit.csv${asked[0]}`).toBe(href);
  return href.slice(`${TEST_API_BASE}/panel/audit.csv`.length);
}

const table = () => screen.getByRole('table', { name: 'Audit log' });
/** The table's body rows (the header row left out). */
const bodyRows = () => within(table()).getAllByRole('row').slice(1);
const waitForRows = async (n: number) => {
  await waitFor(() => expect(bodyRows()).toHaveLength(n));
  await waitFor(() => expect(screen.queryByLabelText('Loading audit entries')).not.toBeInTheDocument());
};

describe('AuditView', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['Date'], now: NOW }));
  afterEach(() => {
    vi.useRealTimers();
  });

  it('lists the recorded changes newest first, with ids, profiles, outcome and task', async () => {
    const older = makeEntry(NOW, 90, { user: 'ana@example.com', outcome: 'failed' });
    const newer = makeEntry(NOW, 10, {
      user: 'bo@example.com',
      vm: { id: 'vm_db2', name: 'db-2' },
      interface_id: 'vmni_db2a',
      from_source: 'panel',
      outcome: 'rejected',
      task_id: null,
      error_code: 'network_speed_profile_not_found',
    });
    const { fixture } = await setup([older, newer]);
    expect(screen.getByRole('progressbar', { name: 'Loading audit entries' })).toBeInTheDocument();
    await waitForRows(2);
    expect(fixture.state.requests[0]?.toString()).toBe('limit=25');
    const [first, second] = bodyRows();
    expect(first).toHaveTextContent('bo@example.com');
    expect(first).toHaveTextContent('db-2');
    expect(first).toHaveTextContent('vm_db2');
    expect(first).toHaveTextContent('vmni_db2a');
    expect(first).toHaveTextContent('Public');
    expect(first).toHaveTextContent('netw_public');
    expect(first).toHaveTextContent('1 Gbps → 10 Gbps');
    expect(first).toHaveTextContent('Names as reported by the panel');
    expect(first).toHaveTextContent('Rejected: network_speed_profile_not_found');
    expect(second).toHaveTextContent('ana@example.com');
    expect(second).toHaveTextContent('Failed');
    expect(second).toHaveTextContent(older.task_id!);
    const time = within(second!).getByText((_, el) => el?.tagName === 'TIME');
    expect(time).toHaveAttribute('dateTime', older.at);
    expect(time.getAttribute('title')).toContain('1 hour ago');
    expect(screen.getByRole('columnheader', { name: 'Outcome and task' })).toBeInTheDocument();
  });

  it('says so when no recorded change matches the filters', async () => {
    await setup([makeEntry(NOW, 5)], { url: '/?view=audit&user=nobody@example.com' });
    expect(await screen.findByText('No recorded changes match these filters.')).toBeVisible();
    expect(within(table()).getAllByRole('row')).toHaveLength(2);
    expect(screen.getByRole('button', { name: 'Next page' })).toBeDisabled();
  });

  it('sends the filters typed in the form, keeps them in the URL and in the CSV export', async () => {
    const entries = [
      makeEntry(NOW, 60 * 24, { outcome: 'failed', vm: { id: 'vm_web1', name: 'web-1' } }),
      makeEntry(NOW, 60 * 30, { outcome: 'completed' }),
      makeEntry(NOW, 60 * 24 * 10, { outcome: 'failed' }),
    ];
    const { fixture, user, search } = await setup(entries);
    await waitForRows(3);
    await user.type(screen.getByRole('textbox', { name: 'VM' }), ' WEB ');
    await user.type(screen.getByRole('textbox', { name: 'Interface' }), 'vmni_web1a');
    await user.type(screen.getByRole('textbox', { name: 'User' }), 'ana@example.com');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Outcome' }), 'Failed');
    fireEvent.change(screen.getByLabelText('From'), { target: { value: '2026-11-29' } });
    fireEvent.change(screen.getByLabelText('To'), { target: { value: '2026-11-30' } });
    await user.click(screen.getByRole('button', { name: 'Apply filters' }));
    await waitForRows(1);
    expect(fixture.lastFilters()).toEqual({
      vm: 'WEB',
      interface: 'vmni_web1a',
      user: 'ana@example.com',
      outcome: 'failed',
      // Days typed in the viewer's zone (the default) go to the server as the instants they span.
      from: new Date(2026, 10, 29).toISOString(),
      to: new Date(new Date(2026, 11, 1).getTime() - 1).toISOString(),
    });
    expect(search()).toBe('?view=audit&vm=WEB&interface=vmni_web1a&user=ana%40example.com&outcome=failed&from=2026-11-29&to=2026-11-30');
    // The export asks for the same rows as the table: the days as instants of the zone shown.
    const from = encodeURIComponent(new Date(2026, 10, 29).toISOString());
    const to = encodeURIComponent(new Date(new Date(2026, 11, 1).getTime() - 1).toISOString());
    expect(await exportCsv(user)).toBe(`?vm=WEB&interface=vmni_web1a&user=ana%40example.com&outcome=failed&from=${from}&to=${to}`);
  });

  it('exports every row when no filter is set', async () => {
    const { user } = await setup([makeEntry(NOW, 5)]);
    await waitForRows(1);
    expect(await exportCsv(user)).toBe('');
  });

  it('takes its filters from a deep link, shows them in the form, and follows back/forward', async () => {
    const { fixture, user, search, router } = await setup([makeEntry(NOW, 5, { outcome: 'running', last_seen_at: new Date(NOW - 60_000).toISOString() })], {
      url: '/?view=audit&vm=vm_web1&outcome=not_seen',
    });
    await waitForRows(1);
    expect(fixture.lastFilters()).toEqual({ vm: 'vm_web1', outcome: 'not_seen' });
    expect(screen.getByRole('textbox', { name: 'VM' })).toHaveValue('vm_web1');
    expect(screen.getByRole('combobox', { name: 'Outcome' })).toHaveValue('not_seen');
    expect(await exportCsv(user)).toBe('?vm=vm_web1&outcome=not_seen');

    await user.click(screen.getByRole('button', { name: 'Clear filters' }));
    await waitFor(() => expect(fixture.lastFilters()).toEqual({}));
    expect(search()).toBe('?view=audit');
    expect(screen.getByRole('textbox', { name: 'VM' })).toHaveValue('');

    act(() => {
      router.history.back();
    });
    await waitFor(() => expect(screen.getByRole('textbox', { name: 'VM' })).toHaveValue('vm_web1'));
    expect(search()).toBe('?view=audit&vm=vm_web1&outcome=not_seen');
    expect(screen.getByRole('combobox', { name: 'Outcome' })).toHaveValue('not_seen');
    // The first answer is still fresh in the cache: the view shows it again for the same filters.
    await waitForRows(1);
    expect(await exportCsv(user)).toBe('?vm=vm_web1&outcome=not_seen');
  });

  it('refuses a date range that ends before it starts, without asking the server', async () => {
    const { fixture, user, search } = await setup([makeEntry(NOW, 5)]);
    await waitForRows(1);
    const sent = fixture.state.requests.length;
    fireEvent.change(screen.getByLabelText('From'), { target: { value: '2026-11-30' } });
    fireEvent.change(screen.getByLabelText('To'), { target: { value: '2026-11-01' } });
    await user.click(screen.getByRole('button', { name: 'Apply filters' }));
    expect(await screen.findByText('“To” is before “From”.')).toBeVisible();
    expect(screen.getByLabelText('To')).toHaveAttribute('aria-invalid', 'true');
    expect(fixture.state.requests).toHaveLength(sent);
    expect(search()).toBe('?view=audit');
  });

  it('shows a filter the server rejects next to the filters, on the field it names, with the code', async () => {
    await setup([makeEntry(NOW, 5)], { url: '/?view=audit&from=last-tuesday' });
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('invalid_audit_filter');
    const from = screen.getByLabelText('From');
    expect(from).toHaveAttribute('aria-invalid', 'true');
    expect(from).toHaveAccessibleDescription('The “from” filter must be an ISO 8601 date or date-time.');
    const form = screen.getByRole('form', { name: 'Audit log filters' });
    // Next to the filters: the alert comes right after the filter form, before the table.
    expect(form.nextElementSibling).toBe(alert);
  });

  it('shows audit_unavailable with its code when the log cannot be read', async () => {
    const fixture = createAuditFixture([makeEntry(NOW, 5)]);
    fixture.failNext({ status: 503, json: { error: { code: 'audit_unavailable', description: 'The audit database is unavailable.' } } });
    mockServer.use(fixture.handler);
    await renderWithProviders(<AuditView />, { url: '/?view=audit' });
    expect(await screen.findByRole('alert')).toHaveTextContent('audit_unavailable');
    expect(within(table()).getByText('The log could not be loaded: see the message above.')).toBeInTheDocument();
  });

  it('pages with the cursor: Next page, Previous page, and back to the first page on new filters', async () => {
    const entries = Array.from({ length: 30 }, (_, i) => makeEntry(NOW, i + 1, { user: `u${String(i).padStart(2, '0')}@example.com` }));
    const { fixture, user } = await setup(entries);
    await waitForRows(25);
    const previous = screen.getByRole('button', { name: 'Previous page' });
    const next = screen.getByRole('button', { name: 'Next page' });
    expect(previous).toBeDisabled();
    expect(bodyRows()[0]).toHaveTextContent('u00@example.com');

    await user.click(next);
    await waitForRows(5);
    expect(fixture.state.requests.at(-1)?.get('cursor')).toBe('after:25');
    expect(bodyRows()[0]).toHaveTextContent('u25@example.com');
    expect(next).toBeDisabled();
    expect(screen.getByText(/Page 2/)).toBeInTheDocument();

    await user.click(previous);
    await waitForRows(25);
    expect(bodyRows()[0]).toHaveTextContent('u00@example.com');
    expect(previous).toBeDisabled();

    await user.click(next);
    await waitForRows(5);
    await user.type(screen.getByRole('textbox', { name: 'User' }), 'u27@example.com');
    await user.click(screen.getByRole('button', { name: 'Apply filters' }));
    await waitForRows(1);
    expect(fixture.state.requests.at(-1)?.has('cursor')).toBe(false);
    expect(previous).toBeDisabled();
  });

  it('links each row to the lookup of its VM and network', async () => {
    await setup([
      makeEntry(NOW, 5, { vm: { id: 'vm_web1', name: 'web-1' }, network: { id: 'netw_public', name: 'Public' } }),
      makeEntry(NOW, 6, { vm: { id: null, name: 'gone' } }),
    ]);
    await waitForRows(2);
    const [withVm, withoutVm] = bodyRows();
    expect(within(withVm!).getByRole('link', { name: 'Open' })).toHaveAttribute('href', '/?vm=vm_web1&network=netw_public');
    expect(within(withoutVm!).queryByRole('link', { name: 'Open' })).not.toBeInTheDocument();
  });

  it('opens a row through the panel’s router, which owns the URL (a memory history here), with the filters kept until then', async () => {
    const before = window.location.href;
    const { fixture, user, search } = await setup([makeEntry(NOW, 5, { network: { id: 'netw_private', name: null } })], {
      url: '/?view=audit&user=ana@example.com',
    });
    await waitForRows(1);
    expect(fixture.lastFilters()).toEqual({ user: 'ana@example.com' });
    await user.selectOptions(screen.getByRole('combobox', { name: 'Outcome' }), 'Completed');
    await user.click(screen.getByRole('button', { name: 'Apply filters' }));
    await waitFor(() => expect(fixture.lastFilters()).toEqual({ user: 'ana@example.com', outcome: 'completed' }));
    expect(search()).toBe('?view=audit&user=ana%40example.com&outcome=completed');
    await user.click(within(bodyRows()[0]!).getByRole('link', { name: 'Open' }));
    await waitFor(() => expect(search()).toBe('?vm=vm_web1&network=netw_private'));
    expect(window.location.href).toBe(before);
  });
});
