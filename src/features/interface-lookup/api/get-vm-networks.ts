import { queryOptions, useQuery } from '@tanstack/react-query';
import { request, type ApiClient } from '../../../api/client.ts';
import { guards } from '../../../api/guards.ts';
import { useApi } from '../../../lib/panel-config.tsx';
import { fetchAllPages, PER_PAGE } from '../../../api/pages.ts';
import { vmQuery, type VmRef } from '../../../api/refs.ts';

export const vmNetworkKeys = {
  all: ['vm-networks'] as const,
  list: (vm: VmRef) => [...vmNetworkKeys.all, vm] as const,
};

/** All interfaces of a VM, every page: page 1 first, then the rest in parallel. */
export async function getVmInterfaces(api: ApiClient, vm: VmRef, signal?: AbortSignal) {
  const fetchPage = (n: number) =>
    request(
      api.GET('/virtual_machines/virtual_machine/network_interfaces', {
        params: { query: { ...vmQuery(vm), page: n, per_page: PER_PAGE } },
        signal,
      }),
      guards.vmNetworksPage,
      'a list of network interfaces',
    );
  return fetchAllPages(fetchPage, (p) => p.virtual_machine_network_interfaces);
}

export const vmNetworksOptions = (api: ApiClient, vm: VmRef) =>
  queryOptions({ queryKey: vmNetworkKeys.list(vm), queryFn: ({ signal }) => getVmInterfaces(api, vm, signal) });

export function useVmNetworks(vm: VmRef | undefined) {
  const api = useApi();
  return useQuery({ ...vmNetworksOptions(api, vm ?? { kind: 'id', value: '' }), enabled: vm !== undefined });
}
