/**
 * Composes the features into the journey: lookup → card (with current profile) → change → task.
 * Features never import each other; everything they share passes through here.
 */
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Container from '@mui/material/Container';
import Link from '@mui/material/Link';
import Skeleton from '@mui/material/Skeleton';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef } from 'react';
import { getPanelInfo } from '../api/panel-info.ts';
import type { Task } from '../api/types.ts';
import { ActivityLog } from '../features/activity-log/components/activity-log.tsx';
import { useActivityLog } from '../features/activity-log/use-activity-log.ts';
import { useInterface } from '../features/interface-lookup/api/get-interface.ts';
import { InterfaceCard } from '../features/interface-lookup/components/interface-card.tsx';
import { LookupError, RateLimitWait } from '../features/interface-lookup/components/lookup-error.tsx';
import { LookupForm } from '../features/interface-lookup/components/lookup-form.tsx';
import {
  networkParam,
  sameTarget,
  targetFromParams,
  vmParam,
  type LookupTarget,
} from '../features/interface-lookup/lookup-schema.ts';
import {
  interfaceDetailKeys,
  interfaceDetailOptions,
  useInterfaceDetail,
} from '../features/speed-profile/api/get-interface-detail.ts';
import { useSpeedProfiles } from '../features/speed-profile/api/get-speed-profiles.ts';
import { useVirtualMachine } from '../features/speed-profile/api/get-virtual-machine.ts';
import { CurrentSpeedProfile } from '../features/speed-profile/components/current-speed-profile.tsx';
import { formatSpeeds } from '../features/speed-profile/format-speed.ts';
import { SpeedProfileForm, type StartedChange } from '../features/speed-profile/components/speed-profile-form.tsx';
import { TaskProgress } from '../features/tasks/components/task-progress.tsx';
import { useFollowedTasks } from './use-followed-tasks.ts';
import { usePanelConfig } from '../lib/panel-config.tsx';
import { locationSearch, usePanelLocation } from '../lib/url-state.ts';

export function App() {
  const config = usePanelConfig();
  const queryClient = useQueryClient();
  const [loc, navigate] = usePanelLocation(config.syncUrl, {
    vm: config.initialVm,
    network: config.initialNetwork,
    task: config.initialTask,
  });
  const target = targetFromParams(loc.vm, loc.network);
  const api = config.api;
  // The current speed profile needs the interface id: ask for it the moment the lookup answers,
  // not after the card has rendered (2 round trips to the profile instead of 2 + a render).
  const prefetchDetail = (answer: { id?: string | undefined }) => {
    if (answer.id) void queryClient.prefetchQuery(interfaceDetailOptions(api, answer.id));
  };
  const lookup = useInterface(target, prefetchDetail);
  const vm = useVirtualMachine(target?.vm);
  const profiles = useSpeedProfiles(vm.data?.organization?.id);
  const iface = lookup.data;
  const detail = useInterfaceDetail(iface?.id);
  const activity = useActivityLog(loc.vm, loc.network, lookup);
  const panelInfo = useQuery({
    queryKey: ['panel-info', config.apiBase],
    queryFn: ({ signal }) => getPanelInfo(config.apiBase, signal),
    staleTime: Infinity,
  });

  const followed = useFollowedTasks(loc, navigate, iface?.id);

  const headingRef = useRef<HTMLHeadingElement>(null);
  const focusedFor = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (iface?.id && focusedFor.current !== iface.id) {
      focusedFor.current = iface.id;
      headingRef.current?.focus();
    }
  }, [iface?.id]);

  const onLookup = (t: LookupTarget) => {
    navigate({ vm: vmParam(t.vm), network: networkParam(t.network), task: undefined });
    // The same lookup again refreshes it, unless it is still under way (a held Enter, a triple click).
    if (sameTarget(t, target) && !lookup.isFetching) void lookup.refetch();
  };

  const onStarted = ({ task, interfaceId, from, to }: StartedChange) => {
    if (!loc.vm || !loc.network || !task.id) return;
    const taskId = task.id;
    activity.recordChange({ taskId, vm: loc.vm, network: loc.network, vmName: iface?.virtual_machine?.name, interfaceName: iface?.name, from, to });
    followed.start({
      taskId,
      vm: loc.vm,
      network: loc.network,
      interfaceId,
      summary: `${to} on ${iface?.name ?? 'the interface'} of ${iface?.virtual_machine?.name ?? loc.vm}${from ? ` (was ${from})` : ''}`,
      initial: task,
    });
  };

  const { onTaskFinished } = config;
  const { recordTaskResult } = activity;
  const { markFinished } = followed;
  const onFinished = useCallback(
    (task: Task) => {
      markFinished(task);
      void queryClient.invalidateQueries({ queryKey: interfaceDetailKeys.all });
      recordTaskResult(task);
      onTaskFinished?.(task);
    },
    [queryClient, onTaskFinished, recordTaskResult, markFinished],
  );

  const currentProfile = detail.data?.speed_profile;
  const currentProfileFull = profiles.data?.find((p) => p.id !== undefined && p.id === currentProfile?.id);

  return (
    <Container maxWidth="md" sx={{ py: 3 }}>
      <Stack direction="row" sx={{ alignItems: 'center', gap: 1, mb: 2, flexWrap: 'wrap' }}>
        <Typography component="h1" variant="h5" sx={{ fontWeight: 600 }}>
          Network interface
        </Typography>
        {panelInfo.data?.mode === 'demo' ? (
          <Chip label="Demo data" color="warning" size="small" title="No Katapult API is configured: answers come from the built-in mock." />
        ) : null}
      </Stack>
      <LookupForm
        initial={{ vm: loc.vm ?? '', network: loc.network ?? '' }}
        busy={lookup.isFetching}
        onSubmit={onLookup}
        target={target}
        lookupError={lookup.error}
      />
      <Box sx={{ mt: 3 }} aria-live="polite">
        {!target ? (
          <Typography sx={{ color: 'text.secondary' }}>
            Enter a virtual machine and a network to see its interface.
          </Typography>
        ) : lookup.isPending && lookup.failureReason?.code === 'rate_limit_reached' ? (
          <RateLimitWait
            key={lookup.failureCount}
            error={lookup.failureReason}
            attempt={lookup.failureCount}
            onRetryNow={() => void lookup.refetch({ cancelRefetch: true })}
          />
        ) : lookup.isPending ? (
          <Stack spacing={1} aria-label="Looking up the interface" role="status">
            <Skeleton variant="rounded" height={36} />
            <Skeleton variant="rounded" height={220} />
          </Stack>
        ) : lookup.isError ? (
          <LookupError
            error={lookup.error}
            target={target}
            retrying={lookup.isFetching}
            onRetry={() => void lookup.refetch()}
            onLookup={onLookup}
          />
        ) : (
          <Stack spacing={2}>
            <InterfaceCard
              iface={lookup.data}
              headingRef={headingRef}
              speedProfileText={
                currentProfile?.name &&
                `${currentProfile.name}${currentProfileFull ? ` (${formatSpeeds(currentProfileFull)})` : ''}`
              }
              speedProfile={<CurrentSpeedProfile interfaceId={lookup.data.id} profiles={profiles.data} />}
            />
            {lookup.data.id ? (
              <SpeedProfileForm
                key={lookup.data.id}
                interfaceId={lookup.data.id}
                interfaceName={lookup.data.name}
                vmName={lookup.data.virtual_machine?.name}
                vmId={lookup.data.virtual_machine?.id}
                currentProfileId={detail.data?.speed_profile?.id}
                currentProfileName={detail.data?.speed_profile?.name}
                currentPending={detail.isPending}
                profiles={profiles.data}
                profilesError={profiles.error ?? vm.error}
                locked={followed.locked}
                onStarted={onStarted}
                onStale={() => void queryClient.invalidateQueries({ queryKey: interfaceDetailKeys.all })}
              />
            ) : (
              <Alert severity="warning">Katapult did not report this interface’s id, so its speed cannot be changed here.</Alert>
            )}
          </Stack>
        )}
      </Box>
      {followed.tasks.map((t) => (
        <TaskProgress
          key={t.taskId}
          taskId={t.taskId}
          summary={t.summary}
          initial={t.initial}
          onFinished={onFinished}
          onDismiss={() => followed.dismiss(t.taskId)}
        >
          {!followed.isShown(t) ? (
            <Link
              href={locationSearch({ vm: t.vm, network: t.network, task: t.taskId }) || '?'}
              onClick={(e) => {
                e.preventDefault();
                navigate({ vm: t.vm, network: t.network, task: t.taskId });
              }}
            >
              Show {t.vm} on {t.network}
            </Link>
          ) : null}
        </TaskProgress>
      ))}
      <ActivityLog entries={activity.entries} onOpen={(to) => navigate(to)} onClear={activity.clear} />
    </Container>
  );
}
