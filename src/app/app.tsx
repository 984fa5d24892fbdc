/**
 * Composes the features into the journey: lookup → card (with current profile) → change → task.
 * Features never import each other; everything they share passes through here.
 */
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Container from '@mui/material/Container';
import Link from '@mui/material/Link';
import Skeleton from '@mui/material/Skeleton';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { getPanelInfo } from '../api/panel-info.ts';
import type { Task } from '../api/types.ts';
import { ErrorAlert } from '../components/error-alert.tsx';
import { useInterface } from '../features/interface-lookup/api/get-interface.ts';
import { InterfaceCard } from '../features/interface-lookup/components/interface-card.tsx';
import { LookupForm } from '../features/interface-lookup/components/lookup-form.tsx';
import { targetFromParams, type LookupTarget } from '../features/interface-lookup/lookup-schema.ts';
import { interfaceDetailKeys, useInterfaceDetail } from '../features/speed-profile/api/get-interface-detail.ts';
import { useSpeedProfiles } from '../features/speed-profile/api/get-speed-profiles.ts';
import { useVirtualMachine } from '../features/speed-profile/api/get-virtual-machine.ts';
import { CurrentSpeedProfile } from '../features/speed-profile/components/current-speed-profile.tsx';
import { SpeedProfileForm, type StartedChange } from '../features/speed-profile/components/speed-profile-form.tsx';
import { TaskProgress } from '../features/tasks/components/task-progress.tsx';
import { usePanelConfig } from '../lib/panel-config.tsx';
import { locationSearch, usePanelLocation } from '../lib/url-state.ts';

interface FollowedTask {
  taskId: string;
  vm: string;
  network: string;
  summary: string;
  initial?: Task | undefined;
}

export function App() {
  const config = usePanelConfig();
  const queryClient = useQueryClient();
  const [loc, navigate] = usePanelLocation(config.syncUrl, {
    vm: config.initialVm,
    network: config.initialNetwork,
    task: config.initialTask,
  });
  const target = targetFromParams(loc.vm, loc.network);
  const lookup = useInterface(target);
  const vm = useVirtualMachine(target?.vm);
  const profiles = useSpeedProfiles(vm.data?.organization?.id);
  const iface = lookup.data;
  const detail = useInterfaceDetail(iface?.id);
  const panelInfo = useQuery({
    queryKey: ['panel-info', config.apiBase],
    queryFn: ({ signal }) => getPanelInfo(config.apiBase, signal),
    staleTime: Infinity,
  });

  const [started, setStarted] = useState<FollowedTask[]>([]);
  const [finishedIds, setFinishedIds] = useState<ReadonlySet<string>>(new Set());
  // A task in the URL (reload, shared link) is resumed with GETs only: never another PATCH.
  const resumed: FollowedTask[] =
    loc.task && loc.vm && loc.network && !started.some((t) => t.taskId === loc.task)
      ? [{ taskId: loc.task, vm: loc.vm, network: loc.network, summary: `a new speed profile on ${loc.vm}` }]
      : [];
  const tasks = [...started, ...resumed];

  const headingRef = useRef<HTMLHeadingElement>(null);
  const focusedFor = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (iface?.id && focusedFor.current !== iface.id) {
      focusedFor.current = iface.id;
      headingRef.current?.focus();
    }
  }, [iface?.id]);

  const onLookup = (t: LookupTarget) => {
    navigate({ vm: t.vm.value, network: t.network.value, task: undefined });
    if (target && JSON.stringify(t) === JSON.stringify(target)) void lookup.refetch();
  };

  const onStarted = ({ task, from, to }: StartedChange) => {
    if (!loc.vm || !loc.network || !task.id) return;
    const taskId = task.id;
    setStarted((ts) => [
      ...ts,
      {
        taskId,
        vm: loc.vm ?? '',
        network: loc.network ?? '',
        summary: `${to} on ${iface?.name ?? 'the interface'} of ${iface?.virtual_machine?.name ?? loc.vm}${from ? ` (was ${from})` : ''}`,
        initial: task,
      },
    ]);
    navigate({ ...loc, task: taskId }, 'replace');
  };

  const { onTaskFinished } = config;
  const onFinished = useCallback(
    (task: Task) => {
      if (task.id) setFinishedIds((ids) => new Set(ids).add(task.id ?? ''));
      void queryClient.invalidateQueries({ queryKey: interfaceDetailKeys.all });
      onTaskFinished?.(task);
    },
    [queryClient, onTaskFinished],
  );

  const dismiss = (taskId: string) => {
    setStarted((ts) => ts.filter((t) => t.taskId !== taskId));
    if (loc.task === taskId) navigate({ ...loc, task: undefined }, 'replace');
  };

  const here = (t: FollowedTask) => t.vm === loc.vm && t.network === loc.network;
  const locked = tasks.some((t) => here(t) && !finishedIds.has(t.taskId));
  const lookupError = lookup.error;
  const fieldErrors = {
    vm: lookupError?.code === 'virtual_machine_not_found' ? 'No virtual machine has this id or FQDN.' : undefined,
    network: lookupError?.code === 'network_not_found' ? 'No network has this id or permalink.' : undefined,
  };

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
        fieldErrors={fieldErrors}
      />
      <Box sx={{ mt: 3 }} aria-live="polite">
        {!target ? (
          <Typography sx={{ color: 'text.secondary' }}>
            Enter a virtual machine and a network to see its interface.
          </Typography>
        ) : lookup.isPending ? (
          <Stack spacing={1} aria-label="Looking up the interface" role="status">
            <Skeleton variant="rounded" height={36} />
            <Skeleton variant="rounded" height={220} />
          </Stack>
        ) : lookup.isError ? (
          <ErrorAlert
            error={lookup.error}
            action={
              <Button color="inherit" size="small" onClick={() => void lookup.refetch()}>
                Retry
              </Button>
            }
          />
        ) : (
          <Stack spacing={2}>
            <InterfaceCard
              iface={lookup.data}
              headingRef={headingRef}
              speedProfileText={detail.data?.speed_profile?.name}
              speedProfile={<CurrentSpeedProfile interfaceId={lookup.data.id} profiles={profiles.data} />}
            />
            {lookup.data.id ? (
              <SpeedProfileForm
                interfaceId={lookup.data.id}
                interfaceName={lookup.data.name}
                vmName={lookup.data.virtual_machine?.name}
                currentProfileId={detail.data?.speed_profile?.id}
                currentProfileName={detail.data?.speed_profile?.name}
                profiles={profiles.data}
                profilesError={profiles.error ?? vm.error}
                locked={locked}
                onStarted={onStarted}
                onStale={() => void queryClient.invalidateQueries({ queryKey: interfaceDetailKeys.all })}
              />
            ) : (
              <Alert severity="warning">Katapult did not report this interface’s id, so its speed cannot be changed here.</Alert>
            )}
          </Stack>
        )}
      </Box>
      {tasks.map((t) => (
        <Box key={t.taskId}>
          <TaskProgress
            taskId={t.taskId}
            summary={t.summary}
            initial={t.initial}
            onFinished={onFinished}
            onDismiss={() => dismiss(t.taskId)}
          />
          {!here(t) ? (
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
        </Box>
      ))}
    </Container>
  );
}
