/** An IP address, and the interface it leads to: the VM it is allocated to and its network. */
import { queryOptions } from '@tanstack/react-query';
import { ApiError } from './api-error.ts';
import { request, type ApiClient } from './client.ts';
import { guards } from './guards.ts';
import type { LookupTarget } from './refs.ts';

/** Where an address leads: the VM it is allocated to and its network, as the card's "found by" line says. */
export interface AddressLookup {
  address: string;
  vm: { id: string; name: string | undefined };
  network: { id: string; name: string | undefined };
  target: LookupTarget;
}

/** An answer that cannot lead to an interface: worded and coded like Katapult's own errors. */
const notUsable = (code: string, description: string, detail: Record<string, unknown> = {}) =>
  new ApiError({ kind: 'katapult', status: 200, code, description, detail });

export const ipAddressKeys = {
  all: ['ip-address'] as const,
  lookup: (address: string) => [...ipAddressKeys.all, address] as const,
};

/** GET /ip_addresses/ip_address, then the VM and network it is on (or why it leads to no interface). */
export async function getIpAddress(api: ApiClient, address: string, signal?: AbortSignal): Promise<AddressLookup> {
  const { ip_address: ip, allocation } = await request(
    api.GET('/ip_addresses/ip_address', { params: { query: { 'ip_address[address]': address } }, signal }),
    guards.ipAddressAnswer,
    'an ip_address',
  );
  const type = ip.allocation_type ?? allocation?.type ?? undefined;
  const vmId = ip.allocation_id ?? allocation?.value?.id ?? allocation?.id ?? undefined;
  const name = allocation?.value?.name ?? allocation?.name ?? undefined;
  if (!type && !vmId) return Promise.reject(notUsable('ip_address_not_allocated', `${address} is not allocated to anything.`, { address }));
  if (type !== 'VirtualMachine' || !vmId) {
    return Promise.reject(
      notUsable('ip_address_not_on_a_vm', `${address} is allocated to ${type ?? 'something'}${name ? ` ${name}` : ''}, not to a virtual machine.`, {
        address,
        allocation_type: type,
        allocation_name: name,
      }),
    );
  }
  const network = ip.network;
  if (!network?.id) return Promise.reject(notUsable('ip_address_without_network', `Katapult does not say which network ${address} is on.`, { address, vm: vmId }));
  return {
    address,
    vm: { id: vmId, name },
    network: { id: network.id, name: network.name },
    target: { vm: { kind: 'id', value: vmId }, network: { kind: 'id', value: network.id } },
  };
}

export const ipAddressOptions = (api: ApiClient, address: string) =>
  queryOptions({ queryKey: ipAddressKeys.lookup(address), queryFn: ({ signal }) => getIpAddress(api, address, signal) });
