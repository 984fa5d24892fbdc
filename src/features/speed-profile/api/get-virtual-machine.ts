import { queryOptions, useQuery } from '@tanstack/react-query';
import { request, type ApiClient } from '../../../api/client.ts';
import { guards } from '../../../api/guards.ts';
import { vmQuery, type VmRef } from '../../../api/refs.ts';
import { useApi } from '../../../lib/panel-config.tsx';

export const virtualMachineKeys = {
  all: ['virtual-machine'] as const,
  detail: (vm: VmRef) => [...virtualMachineKeys.all, vm] as const,
};

export async function getVirtualMachine(api: ApiClient, vm: VmRef, signal?: AbortSignal) {
  const body = await request(
    api.GET('/virtual_machines/virtual_machine', { params: { query: vmQuery(vm) }, signal }),
    guards().virtualMachineAnswer,
    'a virtual_machine',
  );
  return body.virtual_machine;
}

export const virtualMachineOptions = (api: ApiClient, vm: VmRef) =>
  queryOptions({ queryKey: virtualMachineKeys.detail(vm), queryFn: ({ signal }) => getVirtualMachine(api, vm, signal) });

/** Fetched alongside the lookup (not after it), so the profile list is 2 round trips away, not 3. */
export function useVirtualMachine(vm: VmRef | undefined) {
  const api = useApi();
  return useQuery({ ...virtualMachineOptions(api, vm ?? { kind: 'id', value: '' }), enabled: vm !== undefined });
}
