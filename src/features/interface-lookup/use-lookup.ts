/**
 * The lookup as the rest of the panel sees it: the one the URL asks for (parsed once, by the route's
 * validateSearch), the way to ask for another, and how far the one on screen has got.
 */
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useInterface } from './api/get-interface.ts';
import { useIpAddress } from './api/get-ip-address.ts';
import { lookupParams, type LookupRequest } from './lookup-schema.ts';

/** The URL's lookup and the form's fields, from the route's search. */
export const useLookupSearch = () => useSearch({ from: '__root__', select: (s) => ({ lookup: s.lookup, fields: s.fields }) });

/** Asks for a lookup: it goes into the URL, written by the codec's one stringifier. */
export function useGoToLookup() {
  const navigate = useNavigate();
  return (lookup: LookupRequest) => void navigate({ to: '.', search: lookupParams(lookup) });
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
