/**
 * The panel's shell: the URL state, its two views (the interface: lookup → card with its speed
 * profile, change and recent changes; the audit log), the tasks it follows in both, and what
 * happens when a change is answered and when its task ends. Features never import each other.
 */
import Container from '@mui/material/Container';
import Skeleton from '@mui/material/Skeleton';
import Stack from '@mui/material/Stack';
import { useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useCallback, useId, useState } from 'react';
import { interfaceDetailKeys } from '../api/speed-profiles.ts';
import type { Task } from '../api/types.ts';
import { ActivityLog } from '../features/activity-log/components/activity-log.tsx';
import { activityLog } from '../features/activity-log/use-activity-log.ts';
import { auditKeys } from '../features/audit/api/get-audit.ts';
import { usePanelConfig } from '../lib/panel-config.tsx';
import { usePanelLocation } from '../lib/url-state.ts';
import { InterfaceView } from './interface-view.tsx';
import { PageHeader } from './page-header.tsx';
import { useFollowedTasks } from './use-followed-tasks.ts';
import { usePanelView } from './use-panel-view.ts';
import { viewTabId, ViewTabs } from './view-tabs.tsx';

// Not on the first screen: the followed tasks come with a change, the audit log with its tab.
const FollowedTasks = lazy(() => import('../features/tasks/components/followed-tasks.tsx').then((m) => ({ default: m.FollowedTasks })));
const AuditView = lazy(() => import('../features/audit/components/audit-view.tsx').then((m) => ({ default: m.AuditView })));

export function App() {
  const config = usePanelConfig();
  const queryClient = useQueryClient();
  const panelId = useId();
  const [loc, navigate] = usePanelLocation(config.syncUrl, { vm: config.initialVm, network: config.initialNetwork, task: config.initialTask });
  const views = usePanelView(loc, navigate);
  const followed = useFollowedTasks(loc, navigate);

  // The server has recorded the change (or refused it) by the time its PATCH is answered.
  const onChangeSettled = useCallback(() => void queryClient.invalidateQueries({ queryKey: auditKeys.all }), [queryClient]);

  const { markFinished } = followed;
  const { onTaskFinished } = config;
  // When a change ends, what it changed is fetched again: the interface, and the audit log's entries.
  const onTaskEnded = useCallback(
    (task: Task) => {
      markFinished(task);
      activityLog.recordTaskResult(task);
      void queryClient.invalidateQueries({ queryKey: interfaceDetailKeys.all });
      void queryClient.invalidateQueries({ queryKey: auditKeys.all });
      onTaskFinished?.(task);
    },
    [markFinished, queryClient, onTaskFinished],
  );

  // Which lookup has its answer on screen: a resumed task is revealed only then (see TaskProgress).
  const lookupKey = `${loc.vm ?? ''}\n${loc.network ?? ''}`;
  const [answeredKey, setAnsweredKey] = useState<string>();
  const onAnswered = useCallback(() => setAnsweredKey(lookupKey), [lookupKey]);
  const settled = !loc.vm || !loc.network || answeredKey === lookupKey;

  const audit = views.view === 'audit';
  // A task is "shown" when its interface is on screen: never in the audit view, which links back to it.
  const followedTasks = followed.tasks.map((t) => ({ ...t, shown: !audit && followed.isShown(t, undefined), reveal: audit || settled }));

  return (
    <Container maxWidth="lg" sx={{ py: 3 }}>
      <Stack sx={{ gap: 2.5 }}>
        <PageHeader nav={<ViewTabs view={views.view} onChange={views.show} panelId={panelId} />} />
        {/* The view grows as the card's parts load; it is never the browser's scroll anchor, so what is below it (a resumed task) stays in view. */}
        <Stack role="tabpanel" id={panelId} aria-labelledby={viewTabId(panelId, views.view)} sx={{ gap: 2.5, overflowAnchor: 'none' }}>
          {audit ? (
            <Suspense fallback={<Skeleton variant="rounded" height={240} />}>
              {/* The filters come from the URL when the panel owns it, else from the move that led here. */}
              <AuditView onOpen={views.open} initialFilters={{ vm: loc.vm, ...loc.params }} />
            </Suspense>
          ) : (
            <InterfaceView
              loc={loc}
              navigate={navigate}
              followed={followed}
              onChangeSettled={onChangeSettled}
              onViewAll={views.showAudit}
              onAnswered={onAnswered}
            />
          )}
        </Stack>
        <Suspense>
          <FollowedTasks
            tasks={followedTasks}
            onFinished={onTaskEnded}
            onDismiss={followed.dismiss}
            onOpen={(t) => navigate({ vm: t.vm, network: t.network, task: t.taskId })}
          />
        </Suspense>
        {audit ? null : <ActivityLog onOpen={(to) => navigate(to)} />}
      </Stack>
    </Container>
  );
}
