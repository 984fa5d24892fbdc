/**
 * The panel's shell, the route's component: the header with its tabs, the view the URL asks for (the
 * interface: lookup → card with its speed profile, change and recent changes; or the audit log),
 * the tasks followed in both, and this tab's activity. Features never import each other: they meet here.
 */
import Container from '@mui/material/Container';
import Skeleton from '@mui/material/Skeleton';
import Stack from '@mui/material/Stack';
import { useQuery } from '@tanstack/react-query';
import { useLoaderDeps, useNavigate, useSearch } from '@tanstack/react-router';
import { lazy, Suspense, useId } from 'react';
import { ActivityLog } from '../features/activity-log/components/activity-log.tsx';
import { interfaceOptions } from '../features/interface-lookup/api/get-interface.ts';
import { ipAddressOptions } from '../features/interface-lookup/api/get-ip-address.ts';
import { useFollowedTasks } from '../features/tasks/followed.ts';
import type { StartedChange } from '../features/speed-profile/components/speed-profile-form.tsx';
import { useCompact } from '../lib/density.ts';
import { useApi } from '../lib/panel-config.tsx';
import { InterfaceView } from './interface-view.tsx';
import { PageHeader } from './page-header.tsx';
import { useTaskLeavesUrl } from './use-task-link.ts';
import { viewTabId, ViewTabs } from './view-tabs.tsx';

// Not on the first screen: the followed tasks come with a change, the audit log with its tab.
const FollowedTasks = lazy(() => import('../features/tasks/components/followed-tasks.tsx').then((m) => ({ default: m.FollowedTasks })));
const ChangeBack = lazy(() => import('../features/speed-profile/components/change-back.tsx').then((m) => ({ default: m.ChangeBack })));
const AuditView = lazy(() => import('../features/audit/components/audit-view.tsx').then((m) => ({ default: m.AuditView })));

/** Where a change was started from: the lookup its task links back to, and the names its summary uses. */
export interface ChangeOrigin {
  vm: string | undefined;
  network: string | undefined;
  vmName?: string | undefined;
  interfaceName?: string | undefined;
  /** The IP address the lookup started from. */
  ip?: string | undefined;
}

export function PanelShell() {
  const panelId = useId();
  const api = useApi();
  const search = useSearch({ from: '__root__' });
  const { lookup } = useLoaderDeps({ from: '__root__' });
  const audit = search.view === 'audit';
  const { vm, network, task } = search;
  const followed = useFollowedTasks(task && vm && network ? { taskId: task, vm, network } : undefined);
  // Readers of what the route's loader fetches (the view's own sections fetch and show errors).
  const address = lookup && 'ip' in lookup ? lookup.ip : undefined;
  const found = useQuery({ ...ipAddressOptions(api, address ?? ''), enabled: false });
  const target = lookup && 'ip' in lookup ? found.data?.target : lookup;
  const lookupQuery = useQuery({ ...interfaceOptions(api, target ?? { vm: { kind: 'id', value: '' }, network: { kind: 'id', value: '' } }), enabled: false });
  // A resumed task is revealed once the lookup above it has its answer, so the card growing does not push it out of view.
  const settled = !lookup || (target ? !lookupQuery.isPending : found.isError);
  const shownId = lookupQuery.data?.id;
  const navigate = useNavigate();
  useTaskLeavesUrl(task, followed.tasks, followed.keep);

  const onStarted = ({ task: started, interfaceId, from, to }: StartedChange, at: ChangeOrigin) => {
    if (!at.vm || !at.network || !started.id) return;
    const summary = `${to} on ${at.interfaceName ?? 'the interface'} of ${at.vmName ?? at.vm}${from ? ` (was ${from})` : ''}`;
    followed.start({ taskId: started.id, vm: at.vm, network: at.network, interfaceId, to, summary, ip: at.ip, startedHere: true }, started);
    void navigate({ to: '.', search: { vm: at.vm, network: at.network, task: started.id }, replace: true });
  };
  const onDismiss = (taskId: string) => {
    followed.dismiss(taskId);
    if (task === taskId) void navigate({ to: '.', search: (s) => ({ ...s, task: undefined }), replace: true });
  };

  const tasks = followed.tasks.map((t) => ({
    ...t,
    // Shown when its interface is on screen (by id when known, else by what was typed); never in the audit view, which links back to it.
    shown: !audit && (t.interfaceId && shownId ? t.interfaceId === shownId : t.vm === vm && t.network === network),
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
                    onStarted={(c) => onStarted(c, { vm: entry.vm.id ?? undefined, network: entry.network.id ?? undefined, vmName: entry.vm.name ?? undefined })}
                  />
                )}
              />
            </Suspense>
          ) : (
            <InterfaceView lookup={lookup} followed={tasks} onStarted={onStarted} />
          )}
        </Stack>
        {compact ? null : followedTasks}
        {audit ? null : <ActivityLog />}
      </Stack>
    </Container>
  );
}
