import { screen, waitFor, within } from '@testing-library/react';
import type { UserEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { getDb } from '../../../mock/db.ts';
import { DEMO } from '../../../mock/seed.ts';
import { renderPanel, requestsTo } from '../../testing/test-utils.tsx';

const LOOKUP = '/virtual_machines/virtual_machine/networks/network/interface';

async function lookUp(user: UserEvent, vm: string, network: string) {
  const vmField = screen.getByRole('textbox', { name: 'Virtual machine' });
  const networkField = screen.getByRole('textbox', { name: 'Network' });
  await user.clear(vmField);
  if (vm) {
    await user.click(vmField);
    await user.paste(vm);
  }
  await user.clear(networkField);
  if (network) {
    await user.click(networkField);
    await user.paste(network);
  }
  await user.click(screen.getByRole('button', { name: 'Look up' }));
}

describe('the lookup in the panel', { timeout: 30_000 }, () => {
  it.each([
    ['an empty VM', '', DEMO.network],
    ['whitespace', '  ', '  '],
    ['vm_ alone', 'vm_', DEMO.network],
    ['a look-alike letter', 'vm_t8yоmYsG4bccKw5D', DEMO.network],
    ['10 kB', 'vm_'.padEnd(10_240, 'a'), DEMO.network],
  ])('sends no request for %s', async (_name, vm, network) => {
    const { user } = await renderPanel();
    await lookUp(user, vm, network);
    await waitFor(() =>
      expect(screen.getAllByRole('textbox').filter((f) => f.getAttribute('aria-invalid') === 'true')).not.toEqual([]),
    );
    expect(requestsTo(LOOKUP)).toEqual([]);
  });

  it('sends the cleaned value of a pasted URL with a trailing dot', async () => {
    const { user } = await renderPanel();
    await lookUp(user, `https://${DEMO.vmFqdn}./`, `${DEMO.networkPermalink}.`);
    await screen.findByRole('region', { name: 'Network interface' });
    expect(requestsTo(LOOKUP)[0]?.query).toEqual({
      'virtual_machine[fqdn]': DEMO.vmFqdn,
      'network[permalink]': DEMO.networkPermalink,
    });
  });

  it('puts network_not_found on the Network field', async () => {
    const { user } = await renderPanel();
    await lookUp(user, DEMO.vm, 'netw_DoesNotExist01');
    expect(await screen.findByRole('alert')).toHaveTextContent('network_not_found');
    const field = screen.getByRole('textbox', { name: 'Network' });
    expect(field).toHaveAccessibleDescription(/no network with this id/);
    expect(screen.getByRole('textbox', { name: 'Virtual machine' })).toHaveAttribute('aria-invalid', 'false');
  });

  it('offers the VM’s networks after interface_not_found, and one click shows the interface', async () => {
    const { user } = await renderPanel();
    await lookUp(user, DEMO.vm, DEMO.unusedNetwork);
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('interface_not_found');
    await user.click(await within(alert).findByRole('button', { name: /Private LAN/ }));
    const card = await screen.findByRole('region', { name: 'Network interface' });
    expect(card).toHaveTextContent('02:00:ac:1f:4e:02');
    expect(screen.getByRole('textbox', { name: 'Network' })).toHaveValue(DEMO.privateNetwork);
  });

  it('sends one request per lookup, none for a fresh answer shown again, and a new one for the same lookup again', async () => {
    const { user } = await renderPanel();
    const card = async (mac: string) => {
      await waitFor(() => expect(screen.getByRole('region', { name: 'Network interface' })).toHaveTextContent(mac));
    };
    await lookUp(user, DEMO.vm, DEMO.network);
    await card(DEMO.mac);
    await lookUp(user, DEMO.vm, DEMO.privateNetwork);
    await card('02:00:ac:1f:4e:02');
    expect(requestsTo(LOOKUP)).toHaveLength(2);
    // Back to the first: its answer is seconds old, so it is shown again without asking (the
    // request sent ahead of the render must not be sent either).
    await lookUp(user, DEMO.vm, DEMO.network);
    await card(DEMO.mac);
    expect(requestsTo(LOOKUP)).toHaveLength(2);
    // "Look up" again on what is shown asks again, once.
    await user.click(screen.getByRole('button', { name: 'Look up' }));
    await waitFor(() => expect(requestsTo(LOOKUP)).toHaveLength(3));
    await card(DEMO.mac);
    expect(requestsTo(LOOKUP)).toHaveLength(3);
  });

  it('looks an IP address typed as the VM up without a network, shows its interface and keeps ?ip= in the URL', async () => {
    const { user, history } = await renderPanel();
    await lookUp(user, DEMO.ipv4, '');
    const card = await screen.findByRole('region', { name: 'Network interface' });
    await waitFor(() => expect(card).toHaveTextContent(DEMO.mac));
    expect(screen.getAllByRole('textbox').filter((f) => f.getAttribute('aria-invalid') === 'true')).toEqual([]);
    expect(requestsTo('/ip_addresses/ip_address')).toHaveLength(1);
    expect(history.location.search).toBe(`?ip=${DEMO.ipv4}`);
  });

  it('retries a 503 by itself, then on request, then shows the interface', async () => {
    // Three 503s: the panel's own two retries of a transient failure, then the one the user asks for answers.
    getDb().addFaults([{ endpoint: LOOKUP, status: 503, code: 'service_unavailable', times: 3 }]);
    const { user } = await renderPanel();
    await lookUp(user, DEMO.vm, DEMO.network);
    const alert = await screen.findByRole('alert', {}, { timeout: 5000 });
    expect(alert).toHaveTextContent('service_unavailable');
    expect(requestsTo(LOOKUP)).toHaveLength(3);
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('region', { name: 'Network interface' })).toHaveTextContent(DEMO.mac);
    expect(requestsTo(LOOKUP)).toHaveLength(4);
  });

  it('shows the newer lookup when an older, slower one answers later', async () => {
    getDb().addFaults([{ endpoint: LOOKUP, match: { 'network[id]': DEMO.network }, delayMs: 1500, times: 1 }]);
    const { user } = await renderPanel();
    await lookUp(user, DEMO.vm, DEMO.network);
    await lookUp(user, DEMO.vm, DEMO.privateNetwork);
    const card = await screen.findByRole('region', { name: 'Network interface' });
    expect(card).toHaveTextContent('02:00:ac:1f:4e:02');
    // Wait until the slow answer has been given (or its request dropped), then look again.
    await waitFor(() => expect(Date.now() - (requestsTo(LOOKUP)[0]?.at ?? Date.now())).toBeGreaterThan(1700), { timeout: 5000 });
    expect(screen.getByRole('region', { name: 'Network interface' })).toHaveTextContent('02:00:ac:1f:4e:02');
    expect(screen.getByRole('region', { name: 'Network interface' })).not.toHaveTextContent(DEMO.mac);
  });
});
