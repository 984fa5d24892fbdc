/**
 * The panel's shell, the route's component: the header with its tabs, the view the URL asks for (the
 * interface: lookup → card with its speed profile, change and recent changes; or the audit log),
 * the tasks followed in both, and this tab's activity. Features never import each other: they meet here.
 */
import Container from '@mui/material/Container';
import Skeleton from '@mui/material/Skeleton';
import Stack from '@mui/material/Stack';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { lazy, Suspense, useId } from 'react';
import { ActivityLog } from '../features/activity-log/components/activity-log.tsx';
import type { AuditEntry } from '../../protocol/audit.ts';
import type { ApiError } from '../api/api-error.ts';
import { activityLog, changeEntry } from '../features/activity-log/use-activity-log.ts';
import { lookupParams } from '../features/interface-lookup/lookup-schema.ts';
import { useShownLookup } from '../features/interface-lookup/use-lookup.ts';
import { followedChange, useFollowedTasks, type ChangeOrigin } from '../features/tasks/followed.ts';
import type { SpeedChange, StartedChange } from '../features/speed-profile/use-update-speed-profile.ts';
import { useCompact } from '../lib/density.ts';
import { InterfaceView } from './interface-view.tsx';
import { PageHeader } from './page-header.tsx';
import { useTaskLeavesUrl } from './use-task-link.ts';
import { viewTabId, ViewTabs } from './view-tabs.tsx';

// Not on the first screen: the followed tasks come with a change, the audit log with its tab.
const FollowedTasks = lazy(() => import('../features/tasks/components/followed-tasks.tsx').then((m) => ({ default: m.FollowedTasks })));
const ChangeBack = lazy(() => import('../features/speed-profile/components/change-back.tsx').then((m) => ({ default: m.ChangeBack })));
const AuditView = lazy(() => import('../features/audit/components/audit-view.tsx').then((m) => ({ default: m.AuditView })));
// The Audit view follows every change live while it is shown.
const LiveChanges = lazy(() => import('./live-changes.ts').then((m) => ({ default: m.LiveChanges })));

/** A change back made from the audit log: followed and logged by the VM and network its record names. */
const auditOrigin = (entry: AuditEntry): ChangeOrigin => ({
  vm: entry.vm.id ?? undefined,
  network: entry.network.id ?? undefined,
  vmName: entry.vm.name ?? undefined,
  networkName: entry.network.name ?? undefined,
});

export function PanelShell() {
  const panelId = useId();
  const search = useSearch({ from: '__root__' });
  const { lookup, task } = search;
  const audit = search.view === 'audit';
  // The lookup on screen as its URL parameters (the codec's stringifier): what a followed task is matched and linked by.
  const params = lookup && 'vm' in lookup ? lookupParams(lookup) : undefined;
  const followed = useFollowedTasks(task && params ? { taskId: task, ...params } : undefined);
  // A resumed task is revealed once the lookup above it has its answer, so the card growing does not push it out of view.
  const { settled, interfaceId: shownId } = useShownLookup(lookup);
  const navigate = useNavigate();
  useTaskLeavesUrl(task, followed.tasks, followed.keep);

  // A change Katapult accepted: logged, followed, and its task put in the URL.
  const onStarted = (started: StartedChange, at: ChangeOrigin) => {
    const follow = followedChange(started, at);
    if (!follow) return;
    activityLog.recordChange(changeEntry({ ...started, taskId: follow.taskId }, { ...at, ...follow }));
    followed.start(follow, started.task);
    // The organization a VM's name was found in stays in the link, as long as the change is of the lookup on screen.
    const org = params && 'org' in params && params.vm === follow.vm ? params.org : undefined;
    void navigate({ to: '.', search: { ...(org ? { org } : {}), vm: follow.vm, network: follow.network, task: follow.taskId }, replace: true });
  };
  // A change answered with an error (refused, or no usable answer): logged, with no task to follow.
  const onRefused = (change: SpeedChange, error: ApiError, at: ChangeOrigin) => {
    activityLog.recordChangeError(change, { ...at, vm: at.vm ?? change.context?.vm_id ?? '', network: at.network ?? change.context?.network_id ?? '' }, error);
  };
  const onDismiss = (taskId: string) => {
    followed.dismiss(taskId);
    if (task === taskId) void navigate({ to: '.', search: (s) => ({ ...s, task: undefined }), replace: true });
  };

  const tasks = followed.tasks.map((t) => ({
    ...t,
    // Shown when its interface is on screen (by id when known, else by what was typed); never in the audit view, which links back to it.
    shown: !audit && (t.interfaceId && shownId ? t.interfaceId === shownId : t.vm === params?.vm && t.network === params.network),
    reveal: audit || settled,
  }));

  // A short pane (compact): less space around everything, and the followed tasks above the view, so a running change's progress is in sight.
  const compact = useCompact();
  const followedTasks = (
    <Suspense>
      <FollowedTasks tasks={tasks} onDismiss={onDismiss} />
    </Suspense>
  );
  return (
    <Container maxWidth="lg" sx={{ py: compact ? 1 : 3 }}>
      <Stack sx={{ gap: compact ? 1.5 : 2.5 }}>
        <PageHeader nav={<ViewTabs panelId={panelId} />} />
        {compact ? followedTasks : null}
        {/* The view grows as the card's parts load; it is never the browser's scroll anchor, so what is below it (a resumed task) stays in view. */}
        <Stack role="tabpanel" id={panelId} aria-labelledby={viewTabId(panelId, audit ? 'audit' : 'interface')} sx={{ gap: 2.5, overflowAnchor: 'none' }}>
          {audit ? (
            <Suspense fallback={<Skeleton variant="rounded" height={240} />}>
              <AuditView
                changeBack={(entry) => (
                  <ChangeBack
                    entry={entry}
                    // Followed like a change made on the card, by the VM and network the record names (`vm` here is a filter).
                    onStarted={(c) => onStarted(c, auditOrigin(entry))}
                    onRefused={(c, e) => onRefused(c, e, auditOrigin(entry))}
                  />
                )}
              />
              <LiveChanges />
            </Suspense>
          ) : (
            <InterfaceView lookup={lookup} followed={tasks} onStarted={onStarted} onRefused={onRefused} />
          )}
        </Stack>
        {compact ? null : followedTasks}
        {audit ? null : <ActivityLog following={followed.tasks.map((t) => t.taskId)} />}
      </Stack>
    </Container>
  );
}
