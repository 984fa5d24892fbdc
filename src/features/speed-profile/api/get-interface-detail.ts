import { queryOptions, useQuery } from '@tanstack/react-query';
import { request, type ApiClient } from '../../../api/client.ts';
import { guards } from '../../../api/guards.ts';
import { useApi } from '../../../lib/panel-config.tsx';

export const interfaceDetailKeys = {
  all: ['interface-detail'] as const,
  detail: (interfaceId: string) => [...interfaceDetailKeys.all, interfaceId] as const,
};

/** The interface by id: the only answer that carries its current speed profile. */
export async function getInterfaceDetail(api: ApiClient, interfaceId: string, signal?: AbortSignal) {
  const body = await request(
    api.GET('/virtual_machine_network_interfaces/virtual_machine_network_interface', {
      params: { query: { 'virtual_machine_network_interface[id]': interfaceId } },
      signal,
    }),
    guards().interfaceDetailAnswer,
    'a virtual_machine_network_interface',
  );
  return body.virtual_machine_network_interface;
}

export const interfaceDetailOptions = (api: ApiClient, interfaceId: string) =>
  queryOptions({
    queryKey: interfaceDetailKeys.detail(interfaceId),
    queryFn: ({ signal }) => getInterfaceDetail(api, interfaceId, signal),
    // Fresh for a moment, so the prefetch started on the lookup's answer is not fetched twice;
    // a finished task or a 422 invalidates it explicitly.
    staleTime: 5_000,
  });

export function useInterfaceDetail(interfaceId: string | undefined) {
  const api = useApi();
  return useQuery({ ...interfaceDetailOptions(api, interfaceId ?? ''), enabled: !!interfaceId });
}
