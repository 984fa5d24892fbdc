/**
 * The network interface: found by VM and network (the lookup), read by id (the only answer that
 * carries its current speed profile), and its speed profile changed (a PATCH answered with a task).
 */
import { queryOptions } from '@tanstack/react-query';
import { CHANGE_BACK_HEADER, CHANGE_CONTEXT_HEADER, encodeChangeContext, type ChangeContext } from '../../protocol/panel.ts';
import { request, type ApiClient } from './client.ts';
import { guards } from './guards.ts';
import type { LookupTarget } from './refs.ts';
import type { LookupQuery, SpeedProfileLookup } from './types.ts';

/** The query for the lookup endpoint: exactly one parameter per object, never both. */
export function toLookupQuery(t: LookupTarget): NonNullable<LookupQuery> {
  return {
    ...(t.vm.kind === 'id' ? { 'virtual_machine[id]': t.vm.value } : { 'virtual_machine[fqdn]': t.vm.value }),
    ...(t.network.kind === 'id' ? { 'network[id]': t.network.value } : { 'network[permalink]': t.network.value }),
  };
}

export const interfaceKeys = {
  all: ['interface-lookup'] as const,
  // The VM and network alone: a target may carry more (the organization a VM's name was found in), which Katapult is not asked.
  lookup: (t: LookupTarget) => [...interfaceKeys.all, { vm: t.vm, network: t.network }] as const,
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

export interface UpdateSpeedProfileInput {
  interfaceId: string;
  /** Exactly one of `{id}` or `{permalink}`. */
  speedProfile: SpeedProfileLookup;
  /** What the panel saw, sent along for the server's audit record. */
  context?: ChangeContext | undefined;
  /** A change back: the audit id of the change it undoes (the server checks it may still be undone). */
  changeBackOf?: string | undefined;
}

/** PATCH …/update_speed_profile: answers with the task that will make the change. */
export async function updateSpeedProfile(api: ApiClient, { interfaceId, speedProfile, context, changeBackOf }: UpdateSpeedProfileInput) {
  const body = await request(
    api.PATCH('/virtual_machine_network_interfaces/virtual_machine_network_interface/update_speed_profile', {
      body: { virtual_machine_network_interface: { id: interfaceId }, speed_profile: speedProfile },
      headers: {
        ...(context ? { [CHANGE_CONTEXT_HEADER]: encodeChangeContext(context) } : {}),
        ...(changeBackOf ? { [CHANGE_BACK_HEADER]: changeBackOf } : {}),
      },
    }),
    guards.taskAnswer,
    'a task',
  );
  return body.task;
}
