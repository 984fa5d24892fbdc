/**
 * The team's changes, live: the server's event stream (src/api/change-events.ts) feeds react-query's
 * cache, the one store. An event's record is put in place in every audit list that shows it (so
 * "Recent changes" and the Audit view update without a refetch), and what it makes stale is
 * invalidated: the lists (a start or an end changes other rows' "Change back") and, when a change
 * completed, the interface, whose current profile is now the new one. A task's query takes the
 * progress and end the server's follower saw. Where the stream cannot be held open, the interface's recent
 * changes are refetched on an interval instead.
 */
import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { AuditEntry, AuditPage } from '../../protocol/audit.ts';
import type { ChangeEvent } from '../../protocol/events.ts';
import { changeEventsUrl, openChangeEvents } from '../api/change-events.ts';
import { auditKeys, RECENT_LIMIT, recentAuditOptions } from '../api/audit.ts';
import { interfaceDetailKeys } from '../api/interface.ts';
import type { Task } from '../api/types.ts';
import { isTerminal, taskKeys } from '../api/tasks.ts';
import { usePanelConfig } from '../lib/panel-config.tsx';

/** How often the card's recent changes are refetched while no event stream can be held open. */
export const FALLBACK_REFRESH_MS = 10_000;

/** The page with `entry` in place of its older self; the same page when it is not there or is newer. */
function putInPlace(page: AuditPage, entry: AuditEntry): AuditPage {
  const i = page.entries.findIndex((e) => e.id === entry.id);
  if (i < 0) return page;
  if (page.entries[i]!.updated_at > entry.updated_at) return page;
  const entries = [...page.entries];
  entries[i] = entry;
  return { ...page, entries };
}

/**
 * A task query already in the cache, moved on to what the server's follower saw: its progress, or
 * its end. Written rather than invalidated so that no viewer asks again for what the event says
 * (one poll per task, the server's); a task already ended, or not followed here, is left alone.
 */
function followed(task: Task | undefined, entry: AuditEntry): Task | undefined {
  if (!task || isTerminal(task)) return task;
  if (entry.outcome === 'completed' || entry.outcome === 'failed') {
    const finished = entry.ended_at ? Math.floor(Date.parse(entry.ended_at) / 1000) : undefined;
    return { ...task, status: entry.outcome, ...(entry.outcome === 'completed' ? { progress: 100 } : {}), ...(finished ? { finished_at: finished } : {}) };
  }
  if (entry.outcome === 'running' && entry.task_progress !== null && entry.task_progress !== task.progress) {
    return { ...task, status: 'running', progress: entry.task_progress };
  }
  return task;
}

export function applyChangeEvent(queryClient: QueryClient, { kind, entry }: ChangeEvent) {
  queryClient.setQueriesData<AuditPage>({ queryKey: auditKeys.all }, (page) => (page ? putInPlace(page, entry) : page));
  // A change new to the card's list is its newest: it goes on top.
  queryClient.setQueryData<AuditPage>(auditKeys.recent(entry.interface_id), (page) =>
    page && !page.entries.some((e) => e.id === entry.id) ? { ...page, entries: [entry, ...page.entries].slice(0, RECENT_LIMIT) } : page,
  );
  if (kind !== 'progress') void queryClient.invalidateQueries({ queryKey: auditKeys.all });
  if (entry.task_id) queryClient.setQueryData<Task>(taskKeys.detail(entry.task_id), (task) => followed(task, entry));
  if (kind === 'ended' && entry.outcome === 'completed') {
    void queryClient.invalidateQueries({ queryKey: interfaceDetailKeys.detail(entry.interface_id) });
  }
}

/**
 * Follows the changes of one interface (the card) or of all (the Audit view) while mounted.
 * Returns whether the stream is down (then the interface's recent changes are polled).
 */
export function useLiveChanges(interfaceId?: string) {
  const queryClient = useQueryClient();
  const { apiBase, api } = usePanelConfig();
  const [down, setDown] = useState(false);
  useEffect(() => {
    const url = changeEventsUrl(apiBase, interfaceId);
    return openChangeEvents(url, {
      onEvent: (event) => applyChangeEvent(queryClient, event),
      onOpen: () => {
        setDown(false);
        // What changed before the stream opened (or while it was down) is read once more.
        void queryClient.invalidateQueries(interfaceId ? { queryKey: auditKeys.recent(interfaceId) } : { queryKey: auditKeys.all }, { cancelRefetch: false });
      },
      onDown: () => setDown(true),
    });
  }, [apiBase, interfaceId, queryClient]);
  // The fallback: this observer refetches the card's list on an interval while there are no events.
  useQuery({
    ...recentAuditOptions(api, interfaceId ?? ''),
    enabled: down && interfaceId !== undefined,
    refetchInterval: down ? FALLBACK_REFRESH_MS : false,
  });
  return { down };
}

/** The hook as an element, for the app's composition (renders nothing). */
export function LiveChanges({ interfaceId }: { interfaceId?: string | undefined }) {
  useLiveChanges(interfaceId);
  return null;
}
