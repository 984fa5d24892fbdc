import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { LookupInterface } from '../../../api/types.ts';
import { DEMO } from '../../../../mock/seed.ts';
import { renderWithProviders } from '../../../testing/test-utils.tsx';
import { InterfaceCardView, interfaceSummary } from '../components/interface-card-view.tsx';

const FULL: LookupInterface = {
  id: DEMO.interface,
  name: 'eth0',
  virtual_machine: { id: DEMO.vm, name: DEMO.vmName },
  network: { id: DEMO.network, name: 'Public Network (London)' },
  virtual_network: null,
  mac_address: DEMO.mac,
  state: 'attached',
  ip_addresses: [
    { id: 'ip_1', address: DEMO.ipv4 },
    { id: 'ip_2', address: DEMO.ipv6 },
  ],
};

const ONE_GBPS = { name: '1 Gbps', speeds: 'up 1 Gbit/s, down 1 Gbit/s' };
const renderCard = (iface: LookupInterface, speedProfile?: typeof ONE_GBPS) =>
  renderWithProviders(<InterfaceCardView iface={iface} speedProfile={speedProfile} />);

/** The value shown for a label of the card's description list. */
const valueOf = (card: HTMLElement, label: string) => {
  const term = within(card).getByText(label, { selector: 'dt' });
  const value = term.nextElementSibling;
  if (!(value instanceof HTMLElement)) throw new Error(`no value for ${label}`);
  return value;
};

describe('the interface card', { timeout: 20_000 }, () => {
  it('shows the VM, interface, network, MAC, state, labelled IPs and speed profile', async () => {
    await renderCard(FULL, ONE_GBPS);
    const card = screen.getByRole('region', { name: 'Network interface' });
    expect(valueOf(card, 'Virtual machine')).toHaveTextContent(`${DEMO.vmName} ${DEMO.vm}`);
    expect(valueOf(card, 'Interface')).toHaveTextContent(`eth0 ${DEMO.interface}`);
    expect(valueOf(card, 'Network')).toHaveTextContent(`Public Network (London) ${DEMO.network}`);
    expect(valueOf(card, 'MAC address')).toHaveTextContent(DEMO.mac);
    expect(valueOf(card, 'State')).toHaveTextContent('attached');
    const ips = within(valueOf(card, 'IP addresses')).getAllByRole('listitem');
    expect(ips.map((li) => li.textContent)).toEqual([
      expect.stringMatching(new RegExp(`^IPv4${DEMO.ipv4.replace(/\./g, '\\.')}`)),
      expect.stringMatching(new RegExp(`^IPv6${DEMO.ipv6}`)),
    ]);
    expect(valueOf(card, 'Speed profile')).toHaveTextContent('1 Gbps');
  });

  it.each([
    'Copy summary',
    'Copy VM id',
    'Copy interface id',
    'Copy network id',
    'Copy MAC address',
    `Copy IP address ${DEMO.ipv4}`,
    `Copy IP address ${DEMO.ipv6}`,
  ])('has a “%s” button that puts the value on the clipboard', async (name) => {
    const { user } = await renderCard(FULL, ONE_GBPS);
    await user.click(screen.getByRole('button', { name }));
    const copied = await navigator.clipboard.readText();
    const expected =
      name === 'Copy summary'
        ? interfaceSummary(FULL, ONE_GBPS)
        : name === 'Copy VM id'
          ? DEMO.vm
          : name === 'Copy interface id'
            ? DEMO.interface
            : name === 'Copy network id'
              ? DEMO.network
              : name === 'Copy MAC address'
                ? DEMO.mac
                : name.replace('Copy IP address ', '');
    expect(copied).toBe(expected);
    expect(await screen.findByRole('button', { name })).toHaveTextContent('Copied');
  });

  it('puts a plain-text summary for a ticket together', () => {
    expect(interfaceSummary(FULL, ONE_GBPS)).toBe(
      [
        `VM: ${DEMO.vmName} (${DEMO.vm})`,
        `Interface: eth0 (${DEMO.interface})`,
        `Network: Public Network (London) (${DEMO.network})`,
        `MAC address: ${DEMO.mac}`,
        'State: attached',
        `IPv4: ${DEMO.ipv4}`,
        `IPv6: ${DEMO.ipv6}`,
        'Speed profile: 1 Gbps (up 1 Gbit/s, down 1 Gbit/s)',
      ].join('\n'),
    );
  });

  it('names a virtual network as such when the network is null', async () => {
    await renderCard({ ...FULL, network: null, virtual_network: { id: DEMO.vnet, name: 'backend-vnet' } });
    const card = screen.getByRole('region', { name: 'Network interface' });
    expect(valueOf(card, 'Virtual network')).toHaveTextContent(`backend-vnet ${DEMO.vnet}`);
    expect(screen.getByRole('button', { name: 'Copy virtual network id' })).toBeInTheDocument();
  });

  it('says “not reported” for every field the API left out, never undefined or null', async () => {
    await renderCard({});
    const card = screen.getByRole('region', { name: 'Network interface' });
    for (const label of ['Virtual machine', 'Interface', 'Network', 'MAC address', 'State', 'IP addresses', 'Speed profile']) {
      expect(valueOf(card, label)).toHaveTextContent('not reported');
    }
    expect(card).not.toHaveTextContent(/undefined|null/);
    expect(within(card).queryByRole('button', { name: 'Copy MAC address' })).toBeNull();
    expect(interfaceSummary({})).not.toMatch(/undefined|null/);
  });

  it('shows a placeholder, not “not reported”, while the interface’s own read (its profile) is under way', async () => {
    await renderWithProviders(<InterfaceCardView iface={FULL} speedProfile={undefined} speedProfilePending />);
    const card = screen.getByRole('region', { name: 'Network interface' });
    expect(valueOf(card, 'Speed profile')).not.toHaveTextContent('not reported');
    expect(valueOf(card, 'Speed profile').querySelector('.MuiSkeleton-root')).not.toBeNull();
  });

  it('says “none” when the interface has no IP address', async () => {
    await renderCard({ ...FULL, ip_addresses: [] });
    expect(valueOf(screen.getByRole('region', { name: 'Network interface' }), 'IP addresses')).toHaveTextContent('none');
  });
});
