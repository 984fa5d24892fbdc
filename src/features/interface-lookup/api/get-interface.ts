import { queryOptions, useQuery } from '@tanstack/react-query';
import * as z from 'zod/mini';
import type { ApiClient } from '../../../api/client.ts';
import { request } from '../../../api/client.ts';
import { lookupInterface } from '../../../api/guards.ts';
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
    z.looseObject({ virtual_machine_network_interface: lookupInterface }),
    'a virtual_machine_network_interface',
  );
  return body.virtual_machine_network_interface;
}

export const interfaceOptions = (api: ApiClient, target: LookupTarget) =>
  queryOptions({
    queryKey: interfaceKeys.lookup(target),
    queryFn: ({ signal }) => getInterface(api, target, signal),
  });

export function useInterface(target: LookupTarget | undefined) {
  const api = useApi();
  return useQuery({
    ...interfaceOptions(api, target ?? { vm: { kind: 'id', value: '' }, network: { kind: 'id', value: '' } }),
    enabled: target !== undefined,
  });
}
