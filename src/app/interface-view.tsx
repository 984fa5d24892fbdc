/**
 * The interface view: the lookup form, then the card with its speed profile, the change control and
 * the interface's recent changes, each of which asks for its own data.
 */
import Box from '@mui/material/Box';
import Paper from '@mui/material/Paper';
import Skeleton from '@mui/material/Skeleton';
import Typography from '@mui/material/Typography';
import { lazyRouteComponent, useNavigate, useSearch } from '@tanstack/react-router';
import { lazy, Suspense } from 'react';
import type { LookupInterface } from '../api/types.ts';
import { InterfaceLookup } from '../features/interface-lookup/components/interface-lookup.tsx';
import { lookupSearch, type LookupRequest, type LookupTarget } from '../features/interface-lookup/lookup-schema.ts';
import type { StartedChange } from '../features/speed-profile/components/speed-profile-form.tsx';
import type { FollowedTaskView } from '../features/tasks/followed.ts';
import type { ChangeOrigin } from './shell.tsx';

// Not on the first screen: the card (and the address's way to it) comes with a lookup. The route's loader
// starts loading its code beside the lookup's reads (preloadLookupView), so a deep link waits for neither in turn.
const InterfaceCard = lazyRouteComponent(() => import('../features/interface-lookup/components/interface-card.tsx'), 'InterfaceCard');
const AddressLookup = lazyRouteComponent(() => import('../features/interface-lookup/components/address-lookup.tsx'), 'AddressLookup');

export function preloadLookupView(lookup: LookupRequest) {
  void InterfaceCard.preload?.();
  if ('ip' in lookup) void AddressLookup.preload?.();
}

// The change control and the recent changes come with a card.
const ChangeSpeedProfile = lazy(() => import('../features/speed-profile/components/change-speed-profile.tsx').then((m) => ({ default: m.ChangeSpeedProfile })));
const ChangeBack = lazy(() => import('../features/speed-profile/components/change-back.tsx').then((m) => ({ default: m.ChangeBack })));
const RecentChanges = lazy(() => import('../features/audit/components/recent-changes.tsx').then((m) => ({ default: m.RecentChanges })));

export interface InterfaceViewProps {
  /** The lookup the URL asks for, parsed by the route. */
  lookup: LookupRequest | undefined;
  /** The tasks followed, each marked `shown` when its interface is the one on screen. */
  followed: readonly (FollowedTaskView & { shown: boolean })[];
  onStarted: (change: StartedChange, at: ChangeOrigin) => void;
}

export function InterfaceView({ lookup, followed, onStarted }: InterfaceViewProps) {
  const search = useSearch({ from: '__root__' });
  const navigate = useNavigate();
  const onLookup = (t: LookupRequest) => void navigate({ to: '.', search: lookupSearch(t) });
  // Found by IP address, a change is followed (and linked) by the VM and network the address led to.
  const origin = (iface: LookupInterface): ChangeOrigin => ({
    vm: search.ip ? iface.virtual_machine?.id : search.vm,
    network: search.ip ? (iface.network ?? iface.virtual_network)?.id : search.network,
    vmName: iface.virtual_machine?.name,
    interfaceName: iface.name,
    ip: search.ip,
  });
  /** The latest change followed for the interface shown, for its speed-profile row. */
  const changeFor = (interfaceId: string) => {
    const t = followed.findLast((x) => x.shown && (x.interfaceId === undefined || x.interfaceId === interfaceId));
    return t
      ? { taskId: t.taskId, ip: t.ip, to: t.to ?? 'the new profile', status: t.status === 'completed' || t.status === 'failed' ? t.status : ('running' as const) }
      : undefined;
  };

  return (
    <>
      <Paper sx={{ p: 2, pb: 1.5 }}>
        <InterfaceLookup vm={search.ip ?? search.vm} network={search.ip ? undefined : search.network} lookup={lookup} onLookup={onLookup} />
      </Paper>
      <Box aria-live="polite">
        {lookup ? (
          <Suspense fallback={<Skeleton variant="rounded" height={120} />}>
            {'ip' in lookup ? <AddressLookup address={lookup.ip}>{(target) => card(target)}</AddressLookup> : card(lookup)}
          </Suspense>
        ) : (
          <Typography variant="body2" sx={{ color: 'text.secondary', px: 0.5 }}>
            Enter a virtual machine (or an IP address) and a network to see its interface.
          </Typography>
        )}
      </Box>
    </>
  );

  function card(target: LookupTarget) {
    return (
      <InterfaceCard
        target={target}
        ip={search.ip}
        onLookup={onLookup}
        speedProfileControl={(iface) => (
          <Suspense fallback={<Skeleton variant="rounded" height={40} />}>
            <ChangeSpeedProfile interfaceId={iface.id} vm={target.vm} change={changeFor(iface.id)} ip={search.ip} onStarted={(c) => onStarted(c, origin(iface))} />
          </Suspense>
        )}
        footer={(iface) => (
          <Suspense fallback={<Skeleton variant="text" width="40%" />}>
            <RecentChanges interfaceId={iface.id} interfaceName={iface.name} changeBack={(entry) => <ChangeBack entry={entry} onStarted={(c) => onStarted(c, origin(iface))} />} />
          </Suspense>
        )}
      />
    );
  }
}
