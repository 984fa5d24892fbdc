import { useCallback, useEffect, useRef, useSyncExternalStore } from 'react';
import type { ApiError } from '../../api/api-error.ts';
import type { LookupInterface, Task } from '../../api/types.ts';
import { activityStore, newEntryId, type ActivityEntry, type ChangeEntry } from './activity-store.ts';

/** What the hook needs from the interface lookup query (react-query's result fits). */
export interface LookupOutcome {
  data?: LookupInterface | undefined;
  error: ApiError | null;
  dataUpdatedAt: number;
  errorUpdatedAt: number;
  isFetching: boolean;
}

/** A change as it starts: its entry, less what the log adds itself. */
export type ChangeStarted = Omit<ChangeEntry, 'kind' | 'id' | 'at' | 'status' | 'finishedAt'>;

const nowSeconds = () => Math.floor(Date.now() / 1000);

/**
 * The activity log of this tab. Records each lookup answer by itself (give it the lookup query);
 * speed changes are recorded with `recordChange` when the task starts and `recordTaskResult`
 * when it ends.
 */
export function useActivityLog(vm: string | undefined, network: string | undefined, lookup: LookupOutcome) {
  const entries = useSyncExternalStore(activityStore.subscribe, activityStore.getSnapshot, activityStore.getSnapshot);

  const recorded = useRef<string | undefined>(undefined);
  const { data, error, dataUpdatedAt, errorUpdatedAt, isFetching } = lookup;
  useEffect(() => {
    if (!vm || !network || isFetching) return;
    const outcome = error && errorUpdatedAt >= dataUpdatedAt ? 'error' : data ? 'data' : undefined;
    if (!outcome) return;
    const key = `${vm}|${network}|${outcome}|${outcome === 'error' ? errorUpdatedAt : dataUpdatedAt}`;
    if (recorded.current === key) return;
    // A cached answer shown again (back/forward) is not a new lookup.
    const seen = activityStore.getSnapshot().some((e) => e.kind === 'lookup' && e.id === key);
    recorded.current = key;
    if (seen) return;
    const entry: ActivityEntry = {
      kind: 'lookup',
      id: key,
      at: nowSeconds(),
      vm,
      network,
      ...(outcome === 'data'
        ? {
            vmName: data?.virtual_machine?.name,
            interfaceName: data?.name,
            networkName: (data?.network ?? data?.virtual_network)?.name,
          }
        : { error: error?.code ?? `HTTP ${error?.status ?? '?'}` }),
    };
    // In a task of its own: this effect runs right after the card's render, before the browser can
    // paint it, and adding the entry re-renders the shell (it holds the entries) and writes
    // sessionStorage. The card is what support staff wait for; the log line can come after it.
    setTimeout(() => activityStore.add(entry), 0);
  }, [vm, network, data, error, dataUpdatedAt, errorUpdatedAt, isFetching]);

  const recordChange = useCallback((c: ChangeStarted) => {
    const entry: ChangeEntry = { kind: 'change', id: newEntryId(), at: nowSeconds(), status: 'running', ...c };
    activityStore.add(entry);
  }, []);

  const recordTaskResult = useCallback((task: Task) => {
    const status = task.status;
    if (!task.id || (status !== 'completed' && status !== 'failed')) return;
    activityStore.update(
      (e) => e.kind === 'change' && e.taskId === task.id,
      (e) => ({ ...e, status, finishedAt: task.finished_at ?? nowSeconds() }) as ChangeEntry,
    );
  }, []);

  return { entries, recordChange, recordTaskResult, clear: activityStore.clear };
}
