/**
 * What follows from the cache's own events, in one place: when a lookup answers (or a lookup by IP
 * address fails), the activity log records it (a change, accepted or refused, is recorded where it
 * is started, src/app/shell.tsx, and its status is read from the task's query);
 * when a change is answered or its task ends, what it changed is fetched again; the host hears of
 * each task's end once.
 */
import type { QueryClient } from '@tanstack/react-query';
import type { LookupInterface, Task } from '../api/types.ts';
import { activityLog } from '../features/activity-log/use-activity-log.ts';
import { lookupParams } from '../features/interface-lookup/lookup-schema.ts';
import { auditKeys } from '../api/audit.ts';
import { interfaceDetailKeys, interfaceKeys } from '../api/interface.ts';
import { ipAddressKeys, type AddressLookup } from '../api/ip-addresses.ts';
import type { LookupTarget } from '../api/refs.ts';
import { isTerminal, taskKeys } from '../api/tasks.ts';

export function connectPanelEvents(queryClient: QueryClient, onTaskFinished?: (task: Task) => void) {
  const ended = new Set<string>();
  // The address each lookup by IP address led to: the interface's lookup is recorded with it.
  const addressOf = new Map<string, string>();
  const key = (t: LookupTarget) => {
    const { vm, network } = lookupParams(t);
    return `${vm}|${network}`;
  };
  const offQueries = queryClient.getQueryCache().subscribe((event) => {
    if (event.type !== 'updated' && event.type !== 'added') return;
    const { queryKey, state } = event.query;
    if (queryKey[0] === taskKeys.all[0]) {
      const task = state.data as Task | undefined;
      if (!task?.id || !isTerminal(task) || ended.has(task.id)) return;
      ended.add(task.id);
      void queryClient.invalidateQueries({ queryKey: interfaceDetailKeys.all });
      void queryClient.invalidateQueries({ queryKey: auditKeys.all });
      onTaskFinished?.(task);
    } else if (queryKey[0] === ipAddressKeys.all[0] && event.type === 'updated') {
      const { action } = event;
      const address = queryKey[1] as string;
      if (action.type === 'success') {
        const found = state.data as AddressLookup;
        addressOf.set(key(found.target), address);
      } else if (action.type === 'error') {
        activityLog.recordLookup({ vm: address, network: '', ip: address, answeredAt: state.errorUpdatedAt, result: { error: action.error } });
      }
    } else if (queryKey[0] === interfaceKeys.all[0] && event.type === 'updated') {
      const { action } = event;
      if (action.type !== 'success' && action.type !== 'error') return;
      const target = queryKey[1] as LookupTarget;
      activityLog.recordLookup({
        ...lookupParams(target),
        ip: addressOf.get(key(target)),
        answeredAt: action.type === 'success' ? state.dataUpdatedAt : state.errorUpdatedAt,
        result: action.type === 'success' ? { iface: state.data as LookupInterface } : { error: action.error },
      });
    }
  });
  const offMutations = queryClient.getMutationCache().subscribe((event) => {
    if (event.type !== 'updated') return;
    const { action } = event;
    // The server has recorded the change (or refused it) by the time its PATCH is answered.
    if (action.type === 'success' || action.type === 'error') void queryClient.invalidateQueries({ queryKey: auditKeys.all });
  });
  return () => {
    offQueries();
    offMutations();
  };
}
