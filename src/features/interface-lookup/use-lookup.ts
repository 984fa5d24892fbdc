/**
 * The lookup as the rest of the panel sees it: the one the URL asks for (parsed once, by the route's
 * validateSearch), the way to ask for another, and how far the one on screen has got.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { interfaceDetailOptions, interfaceOptions } from '../../api/interface.ts';
import { ipAddressOptions } from '../../api/ip-addresses.ts';
import type { LookupTarget, VmRef } from '../../api/refs.ts';
import { vmNetworksOptions, vmSpeedProfilesOptions } from '../../api/vm.ts';
import { useApi } from '../../lib/panel-config.tsx';
import { startLookupReads } from './lookup-reads.ts';
import { lookupParams, type LookupRequest } from './lookup-schema.ts';

/** The URL's lookup and the form's fields, from the route's search. */
export const useLookupSearch = () => useSearch({ from: '__root__', select: (s) => ({ lookup: s.lookup, fields: s.fields }) });

/**
 * Asks for a lookup: it goes into the URL, written by the codec's one stringifier. Its reads start here,
 * at the press, as TanStack Query prefetches in an event handler: the route's loader then finds them under
 * way (the navigation's renders come first), and starts them itself for a link or a reload.
 */
export function useGoToLookup() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const api = useApi();
  return (lookup: LookupRequest) => {
    startLookupReads({ queryClient, api }, lookup);
    void navigate({ to: '.', search: lookupParams(lookup) });
  };
}

/**
 * How far the lookup on screen has got, for what is composed beside it: `settled` once it has an
 * answer (or the address led nowhere), and the interface's id once known. It reads the queries the
 * route's loader started (an address first leads to its VM and network).
 */
export function useShownLookup(lookup: LookupRequest | undefined) {
  const found = useIpAddress(lookup && 'ip' in lookup ? lookup.ip : undefined);
  const target = lookup && 'ip' in lookup ? found.data?.target : lookup;
  const iface = useInterface(target);
  return {
    settled: !lookup || (target ? !iface.isPending : found.isError),
    interfaceId: iface.data?.id,
  };
}

const NO_TARGET: LookupTarget = { vm: { kind: 'id', value: '' }, network: { kind: 'id', value: '' } };

/** The lookup of `target` (idle while there is none). */
export function useInterface(target: LookupTarget | undefined) {
  const api = useApi();
  return useQuery({ ...interfaceOptions(api, target ?? NO_TARGET), enabled: target !== undefined });
}

/** Where `address` leads (idle while there is none). */
export function useIpAddress(address: string | undefined) {
  return useQuery({ ...ipAddressOptions(useApi(), address ?? ''), enabled: address !== undefined });
}

/** Every interface of the VM, for the networks it is on (idle while there is no VM). */
export function useVmNetworks(vm: VmRef | undefined) {
  const api = useApi();
  return useQuery({ ...vmNetworksOptions(api, vm ?? { kind: 'id', value: '' }), enabled: vm !== undefined });
}

/** The interface's current profile (from its read by id), with its speeds once the organization's list is known. */
export function useCurrentSpeedProfile(interfaceId: string | undefined, vm: VmRef) {
  const api = useApi();
  const detail = useQuery({ ...interfaceDetailOptions(api, interfaceId ?? ''), enabled: !!interfaceId });
  const profiles = useQuery(vmSpeedProfilesOptions(api, vm)).data;
  const current = detail.data?.speed_profile;
  return { detail, current, full: profiles?.find((p) => p.id !== undefined && p.id === current?.id) };
}
