/**
 * The speed-profile tasks this panel follows: the ones it started, and the one in the URL
 * (`&task=`, after a reload or from a shared link), which is resumed with GETs only, never another
 * PATCH. What this tab started is remembered in sessionStorage, so a reload still says what the
 * task changes to. A task stays listed when another interface is looked up, with a link back.
 */
import { useCallback, useState } from 'react';
import type { Task } from '../api/types.ts';
import type { FollowedTask } from '../features/tasks/components/followed-tasks.tsx';
import type { PanelLocation } from '../lib/url-state.ts';

const STORAGE_KEY = 'katapult-panel.started-tasks.v1';

function storage(): Storage | undefined {
  try {
    return typeof sessionStorage === 'undefined' ? undefined : sessionStorage;
  } catch {
    return undefined; // sandboxed iframes throw on access
  }
}

function remembered(taskId: string): FollowedTask | undefined {
  try {
    const all = JSON.parse(storage()?.getItem(STORAGE_KEY) ?? '[]') as FollowedTask[];
    return Array.isArray(all) ? all.find((t) => t.taskId === taskId) : undefined;
  } catch {
    return undefined;
  }
}

function remember(t: FollowedTask) {
  try {
    const all = (JSON.parse(storage()?.getItem(STORAGE_KEY) ?? '[]') as FollowedTask[]).filter((x) => x.taskId !== t.taskId);
    const { initial: _answer, ...kept } = t;
    storage()?.setItem(STORAGE_KEY, JSON.stringify([...all, kept].slice(-20)));
  } catch {
    // full or unavailable: a reload then shows the task without its target profile
  }
}

type Navigate = (next: PanelLocation, mode?: 'push' | 'replace') => void;
type Status = 'running' | 'completed' | 'failed';

export function useFollowedTasks(loc: PanelLocation, navigate: Navigate) {
  const [tasks, setTasks] = useState<FollowedTask[]>([]);
  const [ended, setEnded] = useState<ReadonlyMap<string, Status>>(() => new Map());
  // Adopt the URL's task into the list (state adjusted while rendering, so it is there from the first paint).
  const [adopted, setAdopted] = useState<string | undefined>(undefined);
  if (loc.task !== adopted) {
    setAdopted(loc.task);
    const { task: taskId, vm, network } = loc;
    if (taskId && vm && network && !tasks.some((t) => t.taskId === taskId)) {
      const known = remembered(taskId);
      setTasks([...tasks, known ?? { taskId, vm, network, summary: `a new speed profile on ${vm} (${network}), resumed from the link` }]);
    }
  }

  /** The same interface as `interfaceId`, shown for `loc`: by id when known, else by what was typed. */
  const isShown = (t: FollowedTask, interfaceId: string | undefined) =>
    t.interfaceId !== undefined && interfaceId !== undefined ? t.interfaceId === interfaceId : t.vm === loc.vm && t.network === loc.network;

  const start = (t: FollowedTask) => {
    remember(t);
    setTasks((ts) => [...ts.filter((x) => x.taskId !== t.taskId), t]);
    setAdopted(t.taskId);
    navigate({ vm: t.vm, network: t.network, task: t.taskId }, 'replace');
  };

  const markFinished = useCallback((task: Task) => {
    const { id, status } = task;
    if (id && (status === 'completed' || status === 'failed')) setEnded((m) => (m.get(id) === status ? m : new Map(m).set(id, status)));
  }, []);

  const dismiss = (taskId: string) => {
    setTasks((ts) => ts.filter((t) => t.taskId !== taskId));
    if (loc.task === taskId) navigate({ ...loc, task: undefined }, 'replace');
  };

  /** The latest change followed for the interface shown, for its speed-profile row. */
  const changeFor = (interfaceId: string) => {
    const t = tasks.findLast((x) => isShown(x, interfaceId));
    return t ? { to: t.to ?? 'the new profile', status: ended.get(t.taskId) ?? 'running' } : undefined;
  };

  return { tasks, start, markFinished, dismiss, isShown, changeFor };
}
