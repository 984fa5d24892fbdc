import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { DEMO } from '../../../mock/seed.ts';
import { renderPanel, requestsTo } from '../../testing/test-utils.tsx';

describe('the panel journey against the mock API', () => {
  it('shows the interface card with MAC, IPs and current speed profile after a lookup by id', async () => {
    const { user } = await renderPanel();
    await user.type(screen.getByRole('textbox', { name: 'Virtual machine' }), DEMO.vm);
    await user.type(screen.getByRole('textbox', { name: 'Network' }), DEMO.network);
    await user.click(screen.getByRole('button', { name: 'Look up' }));
    const card = await screen.findByRole('region', { name: 'Network interface' });
    expect(within(card).getByText(DEMO.mac)).toBeInTheDocument();
    expect(within(card).getByText(DEMO.ipv4)).toBeInTheDocument();
    expect(within(card).getByText(DEMO.ipv6)).toBeInTheDocument();
    expect(await within(card).findByText('1 Gbps')).toBeInTheDocument();
    const sent = requestsTo('/virtual_machines/virtual_machine/networks/network/interface');
    expect(sent).toHaveLength(1);
    expect(sent[0]?.query).toEqual({ 'virtual_machine[id]': DEMO.vm, 'network[id]': DEMO.network });
  });

  it('sends the FQDN and permalink parameters when those are typed', async () => {
    const { user } = await renderPanel();
    await user.type(screen.getByRole('textbox', { name: 'Virtual machine' }), DEMO.vmFqdn);
    await user.type(screen.getByRole('textbox', { name: 'Network' }), `${DEMO.networkPermalink}{Enter}`);
    await screen.findByRole('region', { name: 'Network interface' });
    expect(requestsTo('/virtual_machines/virtual_machine/networks/network/interface')[0]?.query).toEqual({
      'virtual_machine[fqdn]': DEMO.vmFqdn,
      'network[permalink]': DEMO.networkPermalink,
    });
  });

  it('shows a 404 in an alert with its code', async () => {
    const { user } = await renderPanel();
    await user.type(screen.getByRole('textbox', { name: 'Virtual machine' }), DEMO.vm);
    await user.type(screen.getByRole('textbox', { name: 'Network' }), `${DEMO.unusedNetwork}{Enter}`);
    expect(await screen.findByRole('alert')).toHaveTextContent('interface_not_found');
  });
});
