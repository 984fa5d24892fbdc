import { queryOptions, useQuery } from '@tanstack/react-query';
import { request, type ApiClient } from '../../../api/client.ts';
import { guards } from '../../../api/guards.ts';
import type { VmRef } from '../../../api/refs.ts';
import { interfaceDetailOptions, speedProfilesOptions, virtualMachineOptions } from '../../../api/speed-profiles.ts';
import { useApi } from '../../../lib/panel-config.tsx';
import { toLookupQuery, type LookupTarget } from '../lookup-schema.ts';

export const interfaceKeys = {
  all: ['interface-lookup'] as const,
  lookup: (t: LookupTarget) => [...interfaceKeys.all, t] as const,
};

export async function getInterface(api: ApiClient, target: LookupTarget, signal?: AbortSignal) {
  const body = await request(
    api.GET('/virtual_machines/virtual_machine/networks/network/interface', {
      params: { query: toLookupQuery(target) },
      signal,
    }),
    guards.lookupAnswer,
    'a virtual_machine_network_interface',
  );
  return body.virtual_machine_network_interface;
}

export const interfaceOptions = (api: ApiClient, target: LookupTarget) =>
  queryOptions({
    queryKey: interfaceKeys.lookup(target),
    queryFn: async ({ signal, client }) => {
      const iface = await getInterface(api, target, signal);
      // The answer names the interface: its read by id (the current profile) starts now, before the card renders.
      if (iface.id) void client.prefetchQuery(interfaceDetailOptions(api, iface.id));
      return iface;
    },
  });

const NO_TARGET: LookupTarget = { vm: { kind: 'id', value: '' }, network: { kind: 'id', value: '' } };

/** The lookup of `target` (idle while there is none). */
export function useInterface(target: LookupTarget | undefined) {
  const api = useApi();
  return useQuery({ ...interfaceOptions(api, target ?? NO_TARGET), enabled: target !== undefined });
}

/** The interface's current profile (from its read by id), with its speeds once the organization's list is known. */
export function useCurrentSpeedProfile(interfaceId: string | undefined, vm: VmRef) {
  const api = useApi();
  const detail = useQuery({ ...interfaceDetailOptions(api, interfaceId ?? ''), enabled: !!interfaceId });
  const organizationId = useQuery(virtualMachineOptions(api, vm)).data?.organization?.id;
  const profiles = useQuery({ ...speedProfilesOptions(api, organizationId ?? ''), enabled: !!organizationId }).data;
  const current = detail.data?.speed_profile;
  return { detail, current, full: profiles?.find((p) => p.id !== undefined && p.id === current?.id) };
}
