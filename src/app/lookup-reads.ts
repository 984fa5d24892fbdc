import { noop } from '@tanstack/react-query';
import { recentAuditOptions } from '../api/panel.ts';
import { interfaceDetailOptions, speedProfilesOptions, virtualMachineOptions } from '../api/speed-profiles.ts';
import { ipAddressOptions } from '../features/interface-lookup/api/get-ip-address.ts';
import { interfaceOptions } from '../features/interface-lookup/api/get-interface.ts';
import type { LookupRequest, LookupTarget } from '../features/interface-lookup/lookup-schema.ts';
import type { PanelRouterContext } from './router.tsx';

/**
 * Every read a lookup implies, started at once and not awaited (the card draws its frame meanwhile):
 * the lookup and the VM together; the interface by id (its current profile) and its recent changes as
 * soon as the lookup answers; the organization's profiles as soon as the VM answers. The components
 * read the same queries, so nothing is fetched twice; their errors are shown where they are read.
 */
export function startLookupReads(context: PanelRouterContext, lookup: LookupRequest) {
  // An IP address leads to its VM and network first; then the same reads start.
  if ('ip' in lookup) {
    void context.queryClient
      .ensureQueryData(ipAddressOptions(context.api, lookup.ip))
      .then((found) => startTargetReads(context, found.target))
      .catch(noop);
  } else startTargetReads(context, lookup);
}

function startTargetReads({ queryClient, api }: PanelRouterContext, target: LookupTarget) {
  void queryClient
    .ensureQueryData(interfaceOptions(api, target))
    .then((iface) =>
      iface.id
        ? Promise.all([queryClient.prefetchQuery(interfaceDetailOptions(api, iface.id)), queryClient.prefetchQuery(recentAuditOptions(api, iface.id))])
        : undefined,
    )
    .catch(noop);
  void queryClient
    .ensureQueryData(virtualMachineOptions(api, target.vm))
    .then((vm) => (vm.organization?.id ? queryClient.prefetchQuery(speedProfilesOptions(api, vm.organization.id)) : undefined))
    .catch(noop);
}
