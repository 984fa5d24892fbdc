/**
 * The speed-profile tasks a panel follows: the ones it started, and the one in the URL (`&task=`,
 * after a reload or from a shared link), which is resumed with GETs only, never another PATCH.
 * What this tab started is remembered in sessionStorage, so a reload still says what the task
 * changes to. A task's status is never kept here: it is read from its query.
 */
import { useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { AUDIT_PAGE_SIZE, auditListOptions } from '../../api/audit.ts';
import { useApi } from '../../lib/panel-config.tsx';
import { createContext, useContext, useSyncExternalStore } from 'react';
import type { Task, TaskStatus } from '../../api/types.ts';
import { profileName } from '../../lib/format.ts';
import { readSession, writeSession } from '../../lib/storage.ts';
import { taskKeys } from '../../api/tasks.ts';

export interface FollowedTask {
  taskId: string;
  /** The lookup it was started from, as in the URL (for the link back). */
  vm: string;
  network: string;
  /** Known when this tab started it; a task resumed from a bare link is matched by vm + network. */
  interfaceId?: string | undefined;
  /** The profile it changes to, when this tab (or this tab before a reload) started it. */
  to?: string | undefined;
  summary: string;
  /** The IP address the lookup started from, for the ticket paragraph. */
  ip?: string | undefined;
  /** Started on this page (not resumed): the user follows it from the change, so focus goes to it. */
  startedHere?: boolean | undefined;
}

/** Where a change was started from: the lookup its task links back to (as URL parameters), and the names its summary uses. */
export interface ChangeOrigin {
  vm: string | undefined;
  network: string | undefined;
  vmName?: string | undefined;
  networkName?: string | undefined;
  interfaceName?: string | undefined;
  /** The IP address the lookup started from. */
  ip?: string | undefined;
}

/** The task to follow for a change Katapult accepted; undefined when it cannot be linked back (no VM, network or task id). */
export function followedChange(
  change: { task: Task; interfaceId: string; from: string | undefined; to: string },
  at: ChangeOrigin,
): (FollowedTask & { vm: string; network: string }) | undefined {
  const { task, interfaceId, from, to } = change;
  if (!at.vm || !at.network || !task.id) return undefined;
  const summary = `${to} on ${at.interfaceName ?? 'the interface'} of ${at.vmName ?? at.vm}${from ? ` (was ${from})` : ''}`;
  return { taskId: task.id, vm: at.vm, network: at.network, interfaceId, to, summary, ip: at.ip, startedHere: true };
}

const STORAGE_KEY = 'katapult-panel.started-tasks.v1';
const remembered = (taskId: string) => readSession<FollowedTask[]>(STORAGE_KEY, []).find((t) => t.taskId === taskId);

export function createFollowedTasks() {
  let tasks: readonly FollowedTask[] = [];
  const listeners = new Set<() => void>();
  const set = (next: readonly FollowedTask[]) => {
    tasks = next;
    for (const l of listeners) l();
  };
  return {
    subscribe(listener: () => void) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    getSnapshot: () => tasks,
    start(t: FollowedTask) {
      const kept = readSession<FollowedTask[]>(STORAGE_KEY, []).filter((x) => x.taskId !== t.taskId);
      writeSession(STORAGE_KEY, [...kept, { ...t, startedHere: undefined }].slice(-20));
      set([...tasks.filter((x) => x.taskId !== t.taskId), t]);
    },
    dismiss(taskId: string) {
      set(tasks.filter((t) => t.taskId !== taskId));
    },
  };
}
export type FollowedTasksStore = ReturnType<typeof createFollowedTasks>;

const FollowedTasksContext = createContext<FollowedTasksStore | null>(null);
export const FollowedTasksProvider = FollowedTasksContext.Provider;

export interface FollowedTaskView extends FollowedTask {
  /** From the task's query; undefined until its first answer. */
  status: TaskStatus | undefined;
  /** Katapult answered task_not_found: the task cannot be followed (a deep link to a task it forgot). */
  unknown: boolean;
}

/** The tasks followed, with the URL's task adopted, each with its status from the task query's cache. */
export function useFollowedTasks(fromUrl: { taskId: string; vm: string; network: string } | undefined) {
  const store = useContext(FollowedTasksContext);
  if (!store) throw new Error('useFollowedTasks outside FollowedTasksProvider');
  const started = useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
  const queryClient = useQueryClient();
  const api = useApi();
  const known = fromUrl && !started.some((t) => t.taskId === fromUrl.taskId) ? remembered(fromUrl.taskId) : undefined;
  const bare = fromUrl && !known && !started.some((t) => t.taskId === fromUrl.taskId);
  // A link from elsewhere names no profile: the server's audit record of the task does.
  const record = useQuery({
    ...auditListOptions(api, { vm: fromUrl?.vm, limit: AUDIT_PAGE_SIZE }),
    enabled: !!bare,
    select: (page) => page.entries.find((e) => e.task_id === fromUrl?.taskId),
  }).data;
  const recordTo = profileName(record?.to_profile);
  const adopted =
    known ??
    (fromUrl && bare
      ? recordTo && record
        ? {
            ...fromUrl,
            interfaceId: record.interface_id,
            to: recordTo,
            summary: `${recordTo} on ${record.vm.name ?? fromUrl.vm} (${record.network.name ?? fromUrl.network}), resumed from the link`,
          }
        : { ...fromUrl, summary: `a new speed profile on ${fromUrl.vm} (${fromUrl.network}), resumed from the link` }
      : undefined);
  const tasks = adopted ? [...started, adopted] : started;
  // Readers only: each task's TaskProgress polls it; these observers never fetch.
  const statuses = useQueries({
    queries: tasks.map((t) => ({ queryKey: taskKeys.detail(t.taskId), enabled: false, select: (task: Task) => task.status })),
  });
  return {
    tasks: tasks.map((t, i): FollowedTaskView => ({ ...t, status: statuses[i]?.data, unknown: statuses[i]?.error?.code === 'task_not_found' })),
    /** A change was answered with its task: it is shown from that answer, then polled. */
    start(t: FollowedTask, answer: Task) {
      queryClient.setQueryData(taskKeys.detail(t.taskId), answer);
      store.start(t);
    },
    dismiss: store.dismiss,
    /** Keeps a task followed after its `&task=` has left the URL (it ended). */
    keep(t: FollowedTask) {
      if (!store.getSnapshot().some((x) => x.taskId === t.taskId)) store.start(t);
    },
  };
}
