/**
 * The speed-profile tasks this panel follows: the ones it started, and the one in the URL
 * (`&task=`, after a reload or from a shared link), which is resumed with GETs only, never
 * another PATCH. A task stays listed when another interface is looked up, with a link back.
 */
import { useCallback, useState } from 'react';
import type { Task } from '../api/types.ts';
import type { PanelLocation } from '../lib/url-state.ts';

export interface FollowedTask {
  taskId: string;
  /** The lookup it was started from, as typed (for the link back). */
  vm: string;
  network: string;
  /** Known when this tab started it; a task resumed from a link is matched by vm + network. */
  interfaceId?: string | undefined;
  summary: string;
  /** The PATCH's answer, when this tab started it. */
  initial?: Task | undefined;
}

type Navigate = (next: PanelLocation, mode?: 'push' | 'replace') => void;

export function useFollowedTasks(loc: PanelLocation, navigate: Navigate, shownInterfaceId: string | undefined) {
  const [tasks, setTasks] = useState<FollowedTask[]>([]);
  const [finishedIds, setFinishedIds] = useState<ReadonlySet<string>>(() => new Set());
  // Adopt the URL's task into the list (state adjusted while rendering, so it is there from the first paint).
  const [adopted, setAdopted] = useState<string | undefined>(undefined);
  if (loc.task !== adopted) {
    setAdopted(loc.task);
    const { task: taskId, vm, network } = loc;
    if (taskId && vm && network && !tasks.some((t) => t.taskId === taskId)) {
      setTasks([...tasks, { taskId, vm, network, summary: `a new speed profile on ${vm} (${network}), resumed from the link` }]);
    }
  }

  /** Same interface as shown now: by id when known, else by what was typed. */
  const isShown = (t: FollowedTask) =>
    t.interfaceId !== undefined && shownInterfaceId !== undefined
      ? t.interfaceId === shownInterfaceId
      : t.vm === loc.vm && t.network === loc.network;

  const start = (t: FollowedTask) => {
    setTasks((ts) => [...ts.filter((x) => x.taskId !== t.taskId), t]);
    setAdopted(t.taskId);
    navigate({ vm: t.vm, network: t.network, task: t.taskId }, 'replace');
  };

  const markFinished = useCallback((task: Task) => {
    const id = task.id;
    if (id) setFinishedIds((ids) => (ids.has(id) ? ids : new Set(ids).add(id)));
  }, []);

  const dismiss = (taskId: string) => {
    setTasks((ts) => ts.filter((t) => t.taskId !== taskId));
    if (loc.task === taskId) navigate({ ...loc, task: undefined }, 'replace');
  };

  /** A change still running for the shown interface: no second one may start. */
  const locked = tasks.some((t) => isShown(t) && !finishedIds.has(t.taskId));

  return { tasks, start, markFinished, dismiss, isShown, locked };
}
