import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import type { SpeedProfile } from '../../../api/types.ts';
import type { Fault } from '../../../../mock/db.ts';
import { mockServer } from '../../../../mock/node.ts';
import { DEMO } from '../../../../mock/seed.ts';
import { createSeed } from '../../../../mock/seed.ts';
import { mockDb, renderWithProviders, requestsTo } from '../../../testing/test-utils.tsx';
import { SpeedProfileForm, type SpeedProfileFormProps } from './speed-profile-form.tsx';

const UPDATE = '/virtual_machine_network_interfaces/virtual_machine_network_interface/update_speed_profile';
const PROFILES: SpeedProfile[] = createSeed(0).speedProfiles.map(({ organizationId: _o, ...p }) => p);

async function renderForm(overrides: Partial<SpeedProfileFormProps> = {}) {
  const onStarted = vi.fn();
  const utils = await renderWithProviders(
    <SpeedProfileForm
      target={{ interfaceId: DEMO.interface, interfaceName: 'eth0', vmName: 'web-01', vmId: DEMO.vm }}
      current={{ id: 'nsp_H3Mknnus3dtDIbIc', name: '1 Gbps' }}
      profiles={PROFILES}
      locked={false}
      onStarted={onStarted}
      {...overrides}
    />,
  );
  // A 422 or an answer that never came refreshes the interface (and so the card).
  const invalidate = vi.spyOn(utils.queryClient, 'invalidateQueries');
  const onStale = () => invalidate.mock.calls.filter(([filters]) => JSON.stringify(filters?.queryKey) === JSON.stringify(['interface-detail', DEMO.interface]));
  // The PATCH's answer settles the mutation once; the panel's cache events refresh the audit from it (src/app/panel-events.ts).
  const settled = () => utils.queryClient.getMutationCache().getAll().filter((m) => m.state.status === 'success' || m.state.status === 'error');
  return { ...utils, onStarted, onStale, settled };
}

async function openDialogFor(user: Awaited<ReturnType<typeof renderForm>>['user'], option: RegExp) {
  await user.click(screen.getByRole('combobox', { name: 'Speed profile' }));
  await user.click(await screen.findByRole('option', { name: option }));
  await user.click(screen.getByRole('button', { name: 'Change speed profile' }));
  return screen.findByRole('dialog', { name: 'Change the speed profile?' });
}

describe('SpeedProfileForm', () => {
  it('lists every profile with its speeds, unlimited for null and not reported when absent, and marks the current one', async () => {
    const { user } = await renderForm({ profiles: [...PROFILES, { id: 'nsp_NoSpeeds0000001', name: 'Mystery' }] });
    await user.click(screen.getByRole('combobox', { name: 'Speed profile' }));
    const options = await screen.findAllByRole('option');
    expect(options).toHaveLength(PROFILES.length + 1);
    expect(screen.getByRole('option', { name: /^10 Gbps/ })).toHaveTextContent('up 10 Gbit/s, down 10 Gbit/s');
    expect(screen.getByRole('option', { name: /^Unlimited/ })).toHaveTextContent('up unlimited, down unlimited');
    expect(screen.getByRole('option', { name: /^100 Mbps up/ })).toHaveTextContent('up 100 Mbit/s, down unlimited');
    expect(screen.getByRole('option', { name: /^Mystery/ })).toHaveTextContent('up not reported, down not reported');
    const current = screen.getByRole('option', { name: /^1 Gbps/ });
    expect(current).toHaveTextContent('current');
    expect(current).toHaveAttribute('aria-disabled', 'true');
  });

  it('lists the profiles from slowest to fastest, unlimited last', async () => {
    const { user } = await renderForm();
    await user.click(screen.getByRole('combobox', { name: 'Speed profile' }));
    const names = (await screen.findAllByRole('option')).map((o) => o.textContent?.split('—')[0]?.trim());
    expect(names.at(-1)).toBe('Unlimited');
    expect(names.indexOf('100 Mbps')).toBeLessThan(names.indexOf('1 Gbps'));
    expect(names.indexOf('1 Gbps')).toBeLessThan(names.indexOf('2.5 Gbps'));
    expect(names.indexOf('2.5 Gbps')).toBeLessThan(names.indexOf('10 Gbps'));
  });

  it('shows from → to in the dialog as a small table with both speeds', async () => {
    const { user } = await renderForm();
    const dialog = await openDialogFor(user, /^10 Gbps/);
    const table = within(dialog).getByRole('table', { name: 'The change' });
    const rows = within(table).getAllByRole('row').map((r) => r.textContent);
    expect(rows).toContain('From1 Gbpsup 1 Gbit/s, down 1 Gbit/s');
    expect(rows).toContain('To10 Gbpsup 10 Gbit/s, down 10 Gbit/s');
  });

  it('states the change in words: interface, VM, from and to', async () => {
    const { user } = await renderForm();
    const dialog = await openDialogFor(user, /^10 Gbps/);
    expect(dialog).toHaveTextContent(`Interface eth0 (${DEMO.interface}) of VM web-01 (${DEMO.vm}) will change from 1 Gbps to 10 Gbps`);
    expect(dialog).toHaveTextContent('by id nsp_10GbpsProfile001');
  });

  it('sends exactly one PATCH by id on a double click and a held Enter key', async () => {
    mockDb().config.latencyMs = 300; // the clicks and key repeats land while the PATCH is in flight
    const { user, onStarted } = await renderForm();
    const dialog = await openDialogFor(user, /^10 Gbps/);
    const confirm = within(dialog).getByRole('button', { name: 'Confirm' });
    await user.dblClick(confirm);
    await user.keyboard('{Enter>5/}');
    await waitFor(() => expect(onStarted).toHaveBeenCalledTimes(1));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    const sent = requestsTo(UPDATE, 'PATCH');
    expect(sent).toHaveLength(1);
    expect(sent[0]?.body).toEqual({
      virtual_machine_network_interface: { id: DEMO.interface },
      speed_profile: { id: 'nsp_10GbpsProfile001' },
    });
    expect(onStarted.mock.calls[0]?.[0]).toMatchObject({ interfaceId: DEMO.interface, from: '1 Gbps', to: '10 Gbps', speedProfile: { id: expect.any(String) } });
  });

  it('tells the server what the panel saw, in X-Panel-Change-Context, for its audit record', async () => {
    const { user, onStarted, settled } = await renderForm({
      target: { interfaceId: DEMO.interface, interfaceName: 'eth0', vmName: 'web-01', vmId: DEMO.vm, network: { id: 'netw_public', name: 'Public' } },
    });
    const headers: (string | null)[] = [];
    mockServer.events.on('request:start', ({ request }) => {
      if (request.method === 'PATCH') headers.push(request.headers.get('X-Panel-Change-Context'));
    });
    const dialog = await openDialogFor(user, /^10 Gbps/);
    await user.click(within(dialog).getByRole('button', { name: 'Confirm' }));
    await waitFor(() => expect(onStarted).toHaveBeenCalledTimes(1));
    mockServer.events.removeAllListeners('request:start');
    expect(settled()).toHaveLength(1);
    expect(headers).toHaveLength(1);
    expect(JSON.parse(decodeURIComponent(headers[0]!))).toEqual({
      vm_id: DEMO.vm,
      vm_name: 'web-01',
      network_id: 'netw_public',
      network_name: 'Public',
      from_profile_id: 'nsp_H3Mknnus3dtDIbIc',
      from_profile_name: '1 Gbps',
      to_profile_name: '10 Gbps',
    });
  });

  it('says the change was not made when the server cannot record it (503 audit_unavailable)', async () => {
    mockServer.use(
      http.patch(`*${UPDATE}`, () =>
        HttpResponse.json(
          { error: { code: 'audit_unavailable', description: 'The audit log’s database cannot be reached.', detail: {} } },
          { status: 503 },
        ),
      ),
    );
    const { user, onStarted, settled } = await renderForm();
    const dialog = await openDialogFor(user, /^10 Gbps/);
    await user.click(within(dialog).getByRole('button', { name: 'Confirm' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('The audit log is unavailable: the change was not made');
    expect(alert).toHaveTextContent('nothing was sent to Katapult');
    expect(alert).toHaveTextContent('Code: audit_unavailable · HTTP 503');
    expect(alert).toHaveTextContent('The panel’s server: “The audit log’s database cannot be reached.”');
    expect(alert).not.toHaveTextContent('Katapult: “');
    expect(onStarted).not.toHaveBeenCalled();
    expect(settled()).toHaveLength(1);
  });

  it('sends by permalink when the user types a permalink', async () => {
    const { user, onStarted } = await renderForm();
    await user.type(screen.getByRole('combobox', { name: 'Speed profile' }), '250mbps{Enter}');
    const dialog = await screen.findByRole('dialog', { name: 'Change the speed profile?' });
    expect(dialog).toHaveTextContent('from 1 Gbps to 250 Mbps');
    expect(dialog).toHaveTextContent('by permalink “250mbps”');
    await user.click(within(dialog).getByRole('button', { name: 'Confirm' }));
    await waitFor(() => expect(onStarted).toHaveBeenCalledTimes(1));
    expect(requestsTo(UPDATE, 'PATCH')[0]?.body).toMatchObject({ speed_profile: { permalink: '250mbps' } });
  });

  it('refuses a typed permalink that is the current profile or unknown, without sending anything', async () => {
    const { user } = await renderForm();
    const box = screen.getByRole('combobox', { name: 'Speed profile' });
    await user.type(box, '1gbps{Enter}');
    expect(await screen.findByText('1 Gbps is already the current profile.')).toBeInTheDocument();
    await user.clear(box);
    await user.type(box, 'warp-speed{Enter}');
    expect(await screen.findByText(/No speed profile of this organization has the permalink, name or id “warp-speed”/)).toBeInTheDocument();
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(requestsTo(UPDATE, 'PATCH')).toHaveLength(0);
  });

  it('sends nothing on Cancel', async () => {
    const { user, onStarted } = await renderForm();
    const dialog = await openDialogFor(user, /^10 Gbps/);
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(requestsTo(UPDATE, 'PATCH')).toHaveLength(0);
    expect(onStarted).not.toHaveBeenCalled();
  });

  it('cannot start a second change while one is running for the interface', async () => {
    await renderForm({ locked: true });
    expect(screen.getByRole('combobox', { name: 'Speed profile' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Change speed profile' })).toBeDisabled();
    expect(screen.getByText(/A change is running for this interface/)).toBeInTheDocument();
  });

  const ERRORS: { name: string; fault: Fault; texts: (string | RegExp)[]; stale?: boolean; role?: 'status' }[] = [
    { name: '400 missing_api_token', fault: { endpoint: UPDATE, status: 400, code: 'missing_api_token' }, texts: ['sent no API token', 'missing_api_token · HTTP 400'] },
    { name: '403 invalid_api_token', fault: { endpoint: UPDATE, status: 403, code: 'invalid_api_token' }, texts: ['rejected the API token', 'invalid_api_token · HTTP 403'] },
    { name: '403 scope_not_granted', fault: { endpoint: UPDATE, status: 403, code: 'scope_not_granted' }, texts: ['not allowed to do this', 'scope_not_granted · HTTP 403'] },
    { name: '403 invalid_capabilities_token', fault: { endpoint: UPDATE, status: 403, code: 'invalid_capabilities_token' }, texts: ['rejected the capabilities token', 'invalid_capabilities_token · HTTP 403'] },
    { name: '403 unauthorized_network_for_api_token', fault: { endpoint: UPDATE, status: 403, code: 'unauthorized_network_for_api_token', detail: { ip_address: '203.0.113.9' } },
      texts: ['may not be used from this network', '203.0.113.9', 'unauthorized_network_for_api_token · HTTP 403'],
    },
    { name: '404 virtual_machine_network_interface_not_found', fault: { endpoint: UPDATE, status: 404, code: 'virtual_machine_network_interface_not_found' },
      texts: ['The interface no longer exists', 'virtual_machine_network_interface_not_found · HTTP 404'],
    },
    { name: '404 network_speed_profile_not_found', fault: { endpoint: UPDATE, status: 404, code: 'network_speed_profile_not_found' },
      texts: ['That speed profile does not exist', 'network_speed_profile_not_found · HTTP 404'],
    },
    { name: '406 task_queueing_error with its details', fault: { endpoint: UPDATE, status: 406, code: 'task_queueing_error', detail: { details: 'Queue is full for host h-12' } },
      texts: ['could not queue the change', 'Queue is full for host h-12', 'task_queueing_error · HTTP 406'],
    },
    // Not a failure: the interface is already where the change would take it, said as information (a status).
    { name: '422 speed_profile_already_assigned (as information, and refreshes the card)', fault: { endpoint: UPDATE, status: 422, code: 'speed_profile_already_assigned' },
      texts: ['The interface already has 10 Gbps: nothing to change', 'The card has been refreshed', 'Code: speed_profile_already_assigned'],
      stale: true,
      role: 'status',
    },
    { name: '429 rate_limit_reached', fault: { endpoint: UPDATE, status: 429, code: 'rate_limit_reached', detail: { total_permitted: 60 } },
      texts: ['the change was not sent', '60 requests a minute', 'confirm the change again', 'rate_limit_reached · HTTP 429'],
    },
    { name: '503 service_unavailable', fault: { endpoint: UPDATE, status: 503, code: 'service_unavailable' }, texts: ['unavailable right now: the change was not made', 'service_unavailable · HTTP 503'] },
    { name: 'an HTML 502 from a proxy', fault: { endpoint: UPDATE, status: 502, raw: '<html><body>Bad gateway</body></html>', contentType: 'text/html' },
      texts: ['Unexpected response to the change (HTTP 502 Bad Gateway)', 'not known whether Katapult received the change', 'Bad gateway', 'Code: HTTP 502'],
      stale: true,
    },
    { name: 'a 200 that is not JSON', fault: { endpoint: UPDATE, status: 200, raw: 'OK' , contentType: 'text/plain'},
      texts: ['Unexpected response to the change (HTTP 200)', 'Code: HTTP 200'],
      stale: true,
    },
    { name: 'a network error', fault: { endpoint: UPDATE, networkError: true },
      texts: ['The connection was lost while sending the change', 'not known whether Katapult received the change', 'Code: network error'],
      stale: true,
    },
  ];

  it.each(ERRORS)('shows $name with its own wording and code', async ({ fault, texts, stale, role = 'alert' }) => {
    mockDb().addFaults([{ ...fault, method: 'PATCH' }]);
    const { user, onStarted, onStale } = await renderForm();
    const dialog = await openDialogFor(user, /^10 Gbps/);
    await user.click(within(dialog).getByRole('button', { name: 'Confirm' }));
    const alert = await screen.findByRole(role);
    for (const t of texts) expect(alert).toHaveTextContent(t);
    if (role === 'status') expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(onStarted).not.toHaveBeenCalled();
    expect(onStale()).toHaveLength(stale ? 1 : 0);
    expect(requestsTo(UPDATE, 'PATCH')).toHaveLength(1);
  });
});
