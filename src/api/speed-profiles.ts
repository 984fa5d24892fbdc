/**
 * The reads about an interface's speed profile that more than one feature shows: the interface by
 * id (the only answer that carries its current profile), the VM (for its organization) and the
 * organization's profiles. Fetchers, keys and queryOptions only: the features own their hooks.
 */
import { queryOptions } from '@tanstack/react-query';
import { request, type ApiClient } from './client.ts';
import { guards } from './guards.ts';
import { fetchAllPages, PER_PAGE } from './pages.ts';
import { vmQuery, type VmRef } from './refs.ts';

export const interfaceDetailKeys = {
  all: ['interface-detail'] as const,
  detail: (interfaceId: string) => [...interfaceDetailKeys.all, interfaceId] as const,
};

export async function getInterfaceDetail(api: ApiClient, interfaceId: string, signal?: AbortSignal) {
  const body = await request(
    api.GET('/virtual_machine_network_interfaces/virtual_machine_network_interface', {
      params: { query: { 'virtual_machine_network_interface[id]': interfaceId } },
      signal,
    }),
    guards.interfaceDetailAnswer,
    'a virtual_machine_network_interface',
  );
  return body.virtual_machine_network_interface;
}

export const interfaceDetailOptions = (api: ApiClient, interfaceId: string) =>
  queryOptions({ queryKey: interfaceDetailKeys.detail(interfaceId), queryFn: ({ signal }) => getInterfaceDetail(api, interfaceId, signal) });

export const virtualMachineKeys = {
  all: ['virtual-machine'] as const,
  detail: (vm: VmRef) => [...virtualMachineKeys.all, vm] as const,
};

export async function getVirtualMachine(api: ApiClient, vm: VmRef, signal?: AbortSignal) {
  const body = await request(
    api.GET('/virtual_machines/virtual_machine', { params: { query: vmQuery(vm) }, signal }),
    guards.virtualMachineAnswer,
    'a virtual_machine',
  );
  return body.virtual_machine;
}

export const virtualMachineOptions = (api: ApiClient, vm: VmRef) =>
  queryOptions({
    queryKey: virtualMachineKeys.detail(vm),
    queryFn: async ({ signal, client }) => {
      const machine = await getVirtualMachine(api, vm, signal);
      // The answer names the organization: its profiles start now, before anything renders.
      if (machine.organization?.id) void client.prefetchQuery(speedProfilesOptions(api, machine.organization.id));
      return machine;
    },
  });

export const speedProfileKeys = {
  all: ['speed-profiles'] as const,
  list: (organizationId: string) => [...speedProfileKeys.all, organizationId] as const,
};

/** Every speed profile of the organization: page 1, then the remaining pages in parallel. */
export async function getSpeedProfiles(api: ApiClient, organizationId: string, signal?: AbortSignal) {
  const fetchPage = (n: number) =>
    request(
      api.GET('/organizations/organization/network_speed_profiles', {
        params: { query: { 'organization[id]': organizationId, page: n, per_page: PER_PAGE } },
        signal,
      }),
      guards.speedProfilesPage,
      'a list of network speed profiles',
    );
  return fetchAllPages(fetchPage, (p) => p.network_speed_profiles);
}

export const speedProfilesOptions = (api: ApiClient, organizationId: string) =>
  queryOptions({
    queryKey: speedProfileKeys.list(organizationId),
    queryFn: ({ signal }) => getSpeedProfiles(api, organizationId, signal),
    // An organization's profiles change rarely (an operator adds one): five minutes is fresh enough.
    staleTime: 5 * 60_000,
  });
