/** The virtual machine (for its organization) and its network interfaces (the networks it is on). */
import { queryOptions } from '@tanstack/react-query';
import { request, type ApiClient } from './client.ts';
import { guards } from './guards.ts';
import { fetchAllPages, PER_PAGE } from './pages.ts';
import { vmQuery, type VmRef } from './refs.ts';
import { unexpectedShape } from './api-error.ts';
import { speedProfilesOptions } from './speed-profiles.ts';

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

/**
 * The profiles the VM's interfaces may be changed to: its organization's. The one way from a VM to
 * them (the VM is asked for its organization first); both reads are shared with the queries above.
 */
export const vmSpeedProfilesOptions = (api: ApiClient, vm: VmRef) =>
  queryOptions({
    queryKey: [...virtualMachineKeys.detail(vm), 'speed-profiles'] as const,
    queryFn: async ({ client }) => {
      const organizationId = (await client.ensureQueryData(virtualMachineOptions(api, vm))).organization?.id;
      if (!organizationId) throw unexpectedShape(200, 'a virtual_machine with its organization');
      return client.ensureQueryData(speedProfilesOptions(api, organizationId));
    },
    staleTime: 5 * 60_000,
  });

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
  queryOptions({
    queryKey: vmNetworkKeys.list(vm),
    queryFn: ({ signal, client }) => {
      // Asked for as soon as a VM is entered (to offer its networks): the VM's own read starts beside it, and
      // with it its organization's profiles, so the list is in by the time the VM is looked up.
      void client.prefetchQuery(virtualMachineOptions(api, vm));
      return getVmInterfaces(api, vm, signal);
    },
  });

/** An organization as the panel is given it: its `org_…` id, or its sub-domain (`acme`). */
export const organizationQuery = (org: string) =>
  /^org_/.test(org) ? { 'organization[id]': org } : { 'organization[sub_domain]': org.toLowerCase() };

export const organizationVmKeys = {
  all: ['organization-vms'] as const,
  list: (org: string) => [...organizationVmKeys.all, org] as const,
};

/** Every VM of an organization (id, name, hostname, FQDN), every page. */
export async function getOrganizationVms(api: ApiClient, org: string, signal?: AbortSignal) {
  const fetchPage = (n: number) =>
    request(
      api.GET('/organizations/organization/virtual_machines', {
        params: { query: { ...organizationQuery(org), page: n, per_page: PER_PAGE } },
        signal,
      }),
      guards.organizationVmsPage,
      'a list of virtual machines',
    );
  return fetchAllPages(fetchPage, (p) => p.virtual_machines);
}

/**
 * An organization's VMs, for finding one by name. Kept for a few minutes: lookups by name follow
 * one another while a ticket is worked, and a VM created meanwhile is found by Look up again.
 */
export const organizationVmsOptions = (api: ApiClient, org: string) =>
  queryOptions({ queryKey: organizationVmKeys.list(org), queryFn: ({ signal }) => getOrganizationVms(api, org, signal), staleTime: 5 * 60_000 });
