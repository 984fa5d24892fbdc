/**
 * The interface view: the lookup form, then the card with its speed profile, the change control and
 * the interface's recent changes, each of which asks for its own data.
 */
import Box from '@mui/material/Box';
import Paper from '@mui/material/Paper';
import Skeleton from '@mui/material/Skeleton';
import Typography from '@mui/material/Typography';
import { lazyRouteComponent } from '@tanstack/react-router';
import { lazy, Suspense } from 'react';
import type { LookupInterface } from '../api/types.ts';
import { InterfaceLookup } from '../features/interface-lookup/components/interface-lookup.tsx';
import { lookupParams, type LookupRequest } from '../features/interface-lookup/lookup-schema.ts';
import { useGoToLookup } from '../features/interface-lookup/use-lookup.ts';
import type { SpeedChange, StartedChange } from '../features/speed-profile/use-update-speed-profile.ts';
import type { ApiError } from '../api/api-error.ts';
import type { ChangeOrigin, FollowedTaskView } from '../features/tasks/followed.ts';
import type { LookupTarget } from '../api/refs.ts';

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
const TaskBar = lazy(() => import('../features/tasks/components/task-bar.tsx').then((m) => ({ default: m.TaskBar })));
// The card follows its interface's changes live while it is shown.
const LiveChanges = lazy(() => import('./live-changes.ts').then((m) => ({ default: m.LiveChanges })));

export interface InterfaceViewProps {
  /** The lookup the URL asks for, parsed by the route. */
  lookup: LookupRequest | undefined;
  /** The tasks followed, each marked `shown` when its interface is the one on screen. */
  followed: readonly (FollowedTaskView & { shown: boolean })[];
  onStarted: (change: StartedChange, at: ChangeOrigin) => void;
  /** A change answered with an error (refused, or no usable answer). */
  onRefused: (change: SpeedChange, error: ApiError, at: ChangeOrigin) => void;
}

export function InterfaceView({ lookup, followed, onStarted, onRefused }: InterfaceViewProps) {
  const onLookup = useGoToLookup();
  // The IP address the lookup started from, if it did: named in the activity log and in tickets.
  const ip = lookup && 'ip' in lookup ? lookup.ip : undefined;
  // A change is followed (and linked) by the card's lookup: for an address, the VM and network it led to.
  const origin = (target: LookupTarget, iface: LookupInterface): ChangeOrigin => ({
    ...lookupParams(target),
    vmName: iface.virtual_machine?.name,
    networkName: (iface.network ?? iface.virtual_network)?.name,
    interfaceName: iface.name,
    ip,
  });
  /** The latest change followed for the interface shown, for its speed-profile row. */
  const changeFor = (interfaceId: string) => {
    const t = followed.findLast((x) => x.shown && (x.interfaceId === undefined || x.interfaceId === interfaceId));
    if (!t) return undefined;
    const status = t.unknown ? 'unknown' : t.status === 'completed' || t.status === 'failed' ? t.status : 'running';
    return { taskId: t.taskId, ip: t.ip, to: t.to ?? 'the new profile', status } as const;
  };

  const card = (target: LookupTarget) => (
    <InterfaceCard
      target={target}
      ip={ip}
      onLookup={onLookup}
      speedProfileControl={(iface) => (
        <Suspense fallback={<Skeleton variant="rounded" height={40} />}>
          <ChangeSpeedProfile
            interfaceId={iface.id}
            vm={target.vm}
            change={changeFor(iface.id)}
            ip={ip}
            onStarted={(c) => onStarted(c, origin(target, iface))}
            onRefused={(c, e) => onRefused(c, e, origin(target, iface))}
            taskBar={(taskId) => (
              <Suspense>
                <TaskBar taskId={taskId} />
              </Suspense>
            )}
          />
        </Suspense>
      )}
      footer={(iface) => (
        <Suspense fallback={<Skeleton variant="text" width="40%" />}>
          <RecentChanges
            interfaceId={iface.id}
            interfaceName={iface.name}
            changeBack={(entry) => (
              <ChangeBack entry={entry} onStarted={(c) => onStarted(c, origin(target, iface))} onRefused={(c, e) => onRefused(c, e, origin(target, iface))} />
            )}
          />
          <LiveChanges interfaceId={iface.id} />
        </Suspense>
      )}
    />
  );

  return (
    <>
      <Paper sx={{ p: 2, pb: 1.5 }}>
        <InterfaceLookup />
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
}
