/**
 * Composes the features into the journey: lookup → card (with current profile) → change → task.
 * Features never import each other; everything they share passes through here.
 *
 * This is the shell: it holds the data (URL, queries, followed tasks, activity log) and paints the
 * first screen (title, "Demo data", the lookup form) with plain React and src/app/shell.css, no MUI.
 * What comes after the form is drawn by panel-body.tsx, a lazy chunk.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { guards } from '../api/guards.ts';
import { getPanelInfo } from '../api/panel-info.ts';
import type { Task } from '../api/types.ts';
import { useActivityLog } from '../features/activity-log/use-activity-log.ts';
import { lookupWillFetch, sendLookupEarly, useInterface } from '../features/interface-lookup/api/get-interface.ts';
import { knownInterfaceId } from '../features/interface-lookup/api/get-vm-networks.ts';
import { LookupForm } from '../features/interface-lookup/components/lookup-form.tsx';
import {
  lookupFormSchema,
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
import type { StartedChange } from '../features/speed-profile/components/speed-profile-form.tsx';
import { useFollowedTasks } from './use-followed-tasks.ts';
import { usePanelConfig } from '../lib/panel-config.tsx';
import { usePanelLocation } from '../lib/url-state.ts';

const body = () => import('./panel-body.tsx');
const LookupResult = lazy(() => body().then((m) => ({ default: m.LookupResult })));
const PanelRest = lazy(() => body().then((m) => ({ default: m.PanelRest })));

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

  // The rest of the panel (MUI, card, tasks, log) is a lazy chunk: asked for at idle right after
  // the first paint, or at once when a lookup is submitted. The form's schema and the response
  // guards are built then too, off the first paint and before the first lookup needs them.
  const [restWanted, setRestWanted] = useState(false);
  useEffect(() => {
    const want = () => {
      lookupFormSchema();
      guards();
      setRestWanted(true);
    };
    if (typeof requestIdleCallback === 'function') {
      const id = requestIdleCallback(want, { timeout: 300 });
      return () => cancelIdleCallback(id);
    }
    const id = setTimeout(want, 1);
    return () => clearTimeout(id);
  }, []);

  /**
   * What showing `t` will ask for, sent now, before React renders it: the lookup (unless its answer
   * is fresh or on its way), and, when the VM's interfaces are already known, the current speed
   * profile (the interface's details) alongside it: 1 round trip to the profile instead of 2.
   */
  const sendAhead = (t: LookupTarget, refresh: boolean) => {
    if (refresh || (!sameTarget(t, target) && lookupWillFetch(queryClient, t))) sendLookupEarly(api, t);
    const knownId = knownInterfaceId(queryClient, t);
    if (knownId) prefetchDetail({ id: knownId });
  };

  // A mouse press on "Look up": a new lookup's requests leave on the press, and the click that
  // follows on release takes them (a refresh of what is shown waits for the click).
  const onPress = (t: LookupTarget) => {
    if (!sameTarget(t, target)) sendAhead(t, false);
  };

  const onLookup = (t: LookupTarget) => {
    // The same lookup again refreshes it, unless it is still under way (a held Enter, a triple click).
    const refresh = sameTarget(t, target) && !lookup.isFetching;
    sendAhead(t, refresh);
    setRestWanted(true);
    navigate({ vm: vmParam(t.vm), network: networkParam(t.network), task: undefined });
    if (refresh) void lookup.refetch();
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

  const placeholder = !target ? (
    <p className="kp-hint">Enter a virtual machine and a network to see its interface.</p>
  ) : lookup.isError || lookup.isSuccess ? null : (
    <p className="kp-hint" role="status">
      Looking up the interface…
    </p>
  );

  return (
    <div className="kp-container">
      <div className="kp-titlebar">
        <h1 className="kp-h1">Network interface</h1>
        {panelInfo.data?.mode === 'demo' ? (
          <span className="kp-chip" title="No Katapult API is configured: answers come from the built-in mock.">
            Demo data
          </span>
        ) : null}
      </div>
      <LookupForm
        initial={{ vm: loc.vm ?? '', network: loc.network ?? '' }}
        busy={lookup.isFetching}
        onSubmit={onLookup}
        onPress={onPress}
        target={target}
        lookupError={lookup.error}
      />
      <div className="kp-live" aria-live="polite">
        {restWanted ? (
          <Suspense fallback={placeholder}>
            <LookupResult
              target={target}
              lookup={lookup}
              detail={detail}
              profiles={profiles.data}
              profilesError={profiles.error ?? vm.error}
              locked={followed.locked}
              onLookup={onLookup}
              onStarted={onStarted}
              onStale={() => void queryClient.invalidateQueries({ queryKey: interfaceDetailKeys.all })}
            />
          </Suspense>
        ) : (
          placeholder
        )}
      </div>
      {restWanted ? (
        <Suspense fallback={<ActivityLogOutline empty={activity.entries.length === 0} />}>
          <PanelRest
            tasks={followed.tasks}
            isShown={followed.isShown}
            onFinished={onFinished}
            onDismiss={followed.dismiss}
            navigate={navigate}
            entries={activity.entries}
            onClearLog={activity.clear}
          />
        </Suspense>
      ) : (
        <ActivityLogOutline empty={activity.entries.length === 0} />
      )}
    </div>
  );
}

/**
 * The activity log's frame and empty state in plain HTML, painted with the first screen; the
 * activity log itself (features/activity-log, with its entries and actions) replaces it when the
 * rest has loaded.
 */
function ActivityLogOutline({ empty }: { empty: boolean }) {
  return (
    <section className="kp-log" aria-labelledby="kp-log-outline-heading">
      <h2 id="kp-log-outline-heading">Activity this session</h2>
      <p>Lookups and changes made in this browser tab; forgotten when the tab closes.</p>
      {empty ? <p className="kp-log-empty">Nothing yet. Each lookup and speed change you make here is listed, ready to paste into a ticket.</p> : null}
    </section>
  );
}
