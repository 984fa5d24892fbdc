/**
 * The interface view: the lookup form, then the card with its speed profile, the change and the
 * interface's recent changes. What a lookup and a change tell the activity log and the followed
 * tasks passes through here.
 */
import Box from '@mui/material/Box';
import Paper from '@mui/material/Paper';
import Skeleton from '@mui/material/Skeleton';
import Typography from '@mui/material/Typography';
import { lazy, Suspense, useCallback } from 'react';
import type { ApiError } from '../api/api-error.ts';
import type { LookupInterface } from '../api/types.ts';
import { activityLog } from '../features/activity-log/use-activity-log.ts';
import type { AuditFilters } from '../features/audit/api/get-audit.ts';
import { InterfaceCard } from '../features/interface-lookup/components/interface-card.tsx';
import { InterfaceLookup } from '../features/interface-lookup/components/interface-lookup.tsx';
import { networkParam, targetFromParams, vmParam, type LookupTarget } from '../features/interface-lookup/lookup-schema.ts';
import type { StartedChange } from '../features/speed-profile/components/speed-profile-form.tsx';
import type { PanelLocation } from '../lib/url-state.ts';
import type { useFollowedTasks } from './use-followed-tasks.ts';

// Not on the first screen: the change control and the recent changes come with a card.
const ChangeSpeedProfile = lazy(() => import('../features/speed-profile/components/change-speed-profile.tsx').then((m) => ({ default: m.ChangeSpeedProfile })));
const RecentChanges = lazy(() => import('../features/audit/components/recent-changes.tsx').then((m) => ({ default: m.RecentChanges })));

export interface InterfaceViewProps {
  loc: PanelLocation;
  navigate: (next: PanelLocation, mode?: 'push' | 'replace') => void;
  followed: ReturnType<typeof useFollowedTasks>;
  /** The change's PATCH was answered (a task or an error): the server has recorded it, or refused it. */
  onChangeSettled: () => void;
  /** The card's "All changes in the audit log". */
  onViewAll: (filters: AuditFilters) => void;
  /** The lookup of `loc` was answered (the card or its error is on screen). */
  onAnswered?: (() => void) | undefined;
}

export function InterfaceView({ loc, navigate, followed, onChangeSettled, onViewAll, onAnswered }: InterfaceViewProps) {
  const target = targetFromParams(loc.vm, loc.network);
  const onLookup = (t: LookupTarget) => navigate({ vm: vmParam(t.vm), network: networkParam(t.network), task: undefined });

  const onTaskStarted = ({ task, interfaceId, from, to }: StartedChange, iface: LookupInterface) => {
    if (!loc.vm || !loc.network || !task.id) return;
    const vmName = iface.virtual_machine?.name;
    activityLog.recordChange({ taskId: task.id, vm: loc.vm, network: loc.network, vmName, interfaceName: iface.name, from, to });
    const summary = `${to} on ${iface.name ?? 'the interface'} of ${vmName ?? loc.vm}${from ? ` (was ${from})` : ''}`;
    followed.start({ taskId: task.id, vm: loc.vm, network: loc.network, interfaceId, to, summary, initial: task });
  };

  const { vm, network } = loc;
  const onOutcome = useCallback(
    (result: { iface: LookupInterface } | { error: ApiError }, answeredAt: number) => {
      if (vm && network) activityLog.recordLookup({ vm, network, answeredAt, result });
      onAnswered?.();
    },
    [vm, network, onAnswered],
  );

  return (
    <>
      <Paper sx={{ p: 2, pb: 1.5 }}>
        <InterfaceLookup vm={loc.vm} network={loc.network} onLookup={onLookup} />
      </Paper>
      <Box aria-live="polite">
        {target ? (
          <InterfaceCard
            target={target}
            onLookup={onLookup}
            onOutcome={onOutcome}
            speedProfileControl={(iface) => (
              <Suspense fallback={<Skeleton variant="rounded" height={40} />}>
                <ChangeSpeedProfile
                  interfaceId={iface.id}
                  vm={target.vm}
                  change={followed.changeFor(iface.id)}
                  onStarted={(c) => onTaskStarted(c, iface)}
                  onSettled={onChangeSettled}
                />
              </Suspense>
            )}
            footer={(iface) => (
              <Suspense fallback={<Skeleton variant="text" width="40%" />}>
                <RecentChanges interfaceId={iface.id} onViewAll={onViewAll} />
              </Suspense>
            )}
          />
        ) : (
          <Typography variant="body2" sx={{ color: 'text.secondary', px: 0.5 }}>
            Enter a virtual machine and a network to see its interface.
          </Typography>
        )}
      </Box>
    </>
  );
}
