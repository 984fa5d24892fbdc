import { noop, type QueryClient } from '@tanstack/react-query';
import { recentAuditOptions } from '../../api/audit.ts';
import type { ApiClient } from '../../api/client.ts';
import { interfaceOptions } from '../../api/interface.ts';
import { ipAddressOptions } from '../../api/ip-addresses.ts';
import type { LookupTarget } from '../../api/refs.ts';
import { virtualMachineOptions } from '../../api/vm.ts';
import type { LookupRequest } from './lookup-schema.ts';

/** What the reads need: the panel's cache and client (the route's loader passes its context). */
export interface LookupReadsContext {
  queryClient: QueryClient;
  api: ApiClient;
}

/**
 * Every read a lookup implies, started at once and not awaited (the card draws its frame meanwhile):
 * the lookup and the VM together. Their own query functions start the next reads the moment they
 * answer (the interface by id; the organization's profiles), before anything renders; the
 * interface's recent changes follow the lookup. The components read the same queries, so nothing is
 * fetched twice; their errors are shown where they are read.
 */
export function startLookupReads(context: LookupReadsContext, lookup: LookupRequest) {
  // An IP address leads to its VM and network first; then the same reads start.
  if ('ip' in lookup) {
    void context.queryClient
      .ensureQueryData(ipAddressOptions(context.api, lookup.ip))
      .then((found) => startTargetReads(context, found.target))
      .catch(noop);
  } else startTargetReads(context, lookup);
}

function startTargetReads({ queryClient, api }: LookupReadsContext, target: LookupTarget) {
  void queryClient
    .ensureQueryData(interfaceOptions(api, target))
    .then((iface) => (iface.id ? queryClient.prefetchQuery(recentAuditOptions(api, iface.id)) : undefined))
    .catch(noop);
  void queryClient.prefetchQuery(virtualMachineOptions(api, target.vm));
}
