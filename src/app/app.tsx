/**
 * The panel's shell: the URL state, the composition of the features (lookup → card with its speed
 * profile → change → followed task → activity log), what happens when a task starts and ends.
 * Features never import each other; what one tells another passes through here.
 */
import Box from '@mui/material/Box';
import Container from '@mui/material/Container';
import Paper from '@mui/material/Paper';
import Skeleton from '@mui/material/Skeleton';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useCallback } from 'react';
import type { ApiError } from '../api/api-error.ts';
import { interfaceDetailKeys } from '../api/speed-profiles.ts';
import type { LookupInterface, Task } from '../api/types.ts';
import { ActivityLog } from '../features/activity-log/components/activity-log.tsx';
import { activityLog } from '../features/activity-log/use-activity-log.ts';
import { InterfaceCard } from '../features/interface-lookup/components/interface-card.tsx';
import { InterfaceLookup } from '../features/interface-lookup/components/interface-lookup.tsx';
import { networkParam, targetFromParams, vmParam, type LookupTarget } from '../features/interface-lookup/lookup-schema.ts';
import type { StartedChange } from '../features/speed-profile/components/speed-profile-form.tsx';
import { usePanelConfig } from '../lib/panel-config.tsx';
import { usePanelLocation } from '../lib/url-state.ts';
import { PageHeader } from './page-header.tsx';
import { useFollowedTasks } from './use-followed-tasks.ts';

// Not on the first screen: the change control comes with a card, the followed tasks with a change.
const ChangeSpeedProfile = lazy(() =>
  import('../features/speed-profile/components/change-speed-profile.tsx').then((m) => ({ default: m.ChangeSpeedProfile })),
);
const FollowedTasks = lazy(() => import('../features/tasks/components/followed-tasks.tsx').then((m) => ({ default: m.FollowedTasks })));

export function App() {
  const config = usePanelConfig();
  const queryClient = useQueryClient();
  const [loc, navigate] = usePanelLocation(config.syncUrl, { vm: config.initialVm, network: config.initialNetwork, task: config.initialTask });
  const target = targetFromParams(loc.vm, loc.network);
  const followed = useFollowedTasks(loc, navigate);

  const onLookup = (t: LookupTarget) => navigate({ vm: vmParam(t.vm), network: networkParam(t.network), task: undefined });

  const onTaskStarted = ({ task, interfaceId, from, to }: StartedChange, iface: LookupInterface) => {
    if (!loc.vm || !loc.network || !task.id) return;
    const vmName = iface.virtual_machine?.name;
    activityLog.recordChange({ taskId: task.id, vm: loc.vm, network: loc.network, vmName, interfaceName: iface.name, from, to });
    const summary = `${to} on ${iface.name ?? 'the interface'} of ${vmName ?? loc.vm}${from ? ` (was ${from})` : ''}`;
    followed.start({ taskId: task.id, vm: loc.vm, network: loc.network, interfaceId, to, summary, initial: task });
  };

  const { markFinished } = followed;
  const { onTaskFinished } = config;
  // When a change ends, what it changed is fetched again: the interface, and the audit log's entries.
  const onTaskEnded = useCallback(
    (task: Task) => {
      markFinished(task);
      activityLog.recordTaskResult(task);
      void queryClient.invalidateQueries({ queryKey: interfaceDetailKeys.all });
      void queryClient.invalidateQueries({ queryKey: ['audit'] });
      onTaskFinished?.(task);
    },
    [markFinished, queryClient, onTaskFinished],
  );

  const { vm, network } = loc;
  const onOutcome = useCallback(
    (result: { iface: LookupInterface } | { error: ApiError }, answeredAt: number) => {
      if (vm && network) activityLog.recordLookup({ vm, network, answeredAt, result });
    },
    [vm, network],
  );

  return (
    <Container maxWidth="lg" sx={{ py: 3 }}>
      <Stack sx={{ gap: 2.5 }}>
        <PageHeader />
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
                  />
                </Suspense>
              )}
              // The audit log's <RecentChanges interfaceId> goes in the card's footer slot.
            />
          ) : (
            <Typography variant="body2" sx={{ color: 'text.secondary', px: 0.5 }}>
              Enter a virtual machine and a network to see its interface.
            </Typography>
          )}
        </Box>
        <Suspense>
          <FollowedTasks
            tasks={followed.tasks.map((t) => ({ ...t, shown: followed.isShown(t, undefined) }))}
            onFinished={onTaskEnded}
            onDismiss={followed.dismiss}
            onOpen={(t) => navigate({ vm: t.vm, network: t.network, task: t.taskId })}
          />
        </Suspense>
        <ActivityLog onOpen={(to) => navigate(to)} />
      </Stack>
    </Container>
  );
}
