/**
 * What follows from the cache's own events, in one place: when a lookup answers, a change is
 * answered or a task ends, the activity log records it; when a change is answered or its task ends,
 * what it changed is fetched again; the host hears of each task's end once.
 */
import type { QueryClient } from '@tanstack/react-query';
import { auditKeys } from '../api/panel.ts';
import { interfaceDetailKeys } from '../api/speed-profiles.ts';
import type { LookupInterface, Task } from '../api/types.ts';
import { activityLog } from '../features/activity-log/use-activity-log.ts';
import { interfaceKeys } from '../features/interface-lookup/api/get-interface.ts';
import { ipAddressKeys, type AddressLookup } from '../features/interface-lookup/api/get-ip-address.ts';
import { networkParam, vmParam, type LookupTarget } from '../features/interface-lookup/lookup-schema.ts';
import type { ChangeInput } from '../features/speed-profile/components/speed-profile-form.tsx';
import { isTerminal, taskKeys } from '../features/tasks/api/get-task.ts';

export function connectPanelEvents(queryClient: QueryClient, onTaskFinished?: (task: Task) => void) {
  const ended = new Set<string>();
  // The address each lookup by IP address led to: the interface's lookup is recorded with it.
  const addressOf = new Map<string, string>();
  const offQueries = queryClient.getQueryCache().subscribe((event) => {
    if (event.type !== 'updated' && event.type !== 'added') return;
    const { queryKey, state } = event.query;
    if (queryKey[0] === taskKeys.all[0]) {
      const task = state.data as Task | undefined;
      if (!task?.id || !isTerminal(task) || ended.has(task.id)) return;
      ended.add(task.id);
      activityLog.recordTaskResult(task);
      void queryClient.invalidateQueries({ queryKey: interfaceDetailKeys.all });
      void queryClient.invalidateQueries({ queryKey: auditKeys.all });
      onTaskFinished?.(task);
    } else if (queryKey[0] === ipAddressKeys.all[0] && event.type === 'updated') {
      const { action } = event;
      const address = queryKey[1] as string;
      if (action.type === 'success') {
        const found = state.data as AddressLookup;
        addressOf.set(`${vmParam(found.target.vm)}|${networkParam(found.target.network)}`, address);
      } else if (action.type === 'error') {
        activityLog.recordLookup({ vm: address, network: '', ip: address, answeredAt: state.errorUpdatedAt, result: { error: action.error } });
      }
    } else if (queryKey[0] === interfaceKeys.all[0] && event.type === 'updated') {
      const { action } = event;
      if (action.type !== 'success' && action.type !== 'error') return;
      const target = queryKey[1] as LookupTarget;
      activityLog.recordLookup({
        vm: vmParam(target.vm),
        network: networkParam(target.network),
        ip: addressOf.get(`${vmParam(target.vm)}|${networkParam(target.network)}`),
        answeredAt: action.type === 'success' ? state.dataUpdatedAt : state.errorUpdatedAt,
        result: action.type === 'success' ? { iface: state.data as LookupInterface } : { error: action.error },
      });
    }
  });
  const offMutations = queryClient.getMutationCache().subscribe((event) => {
    if (event.type !== 'updated') return;
    const { action } = event;
    if (action.type !== 'success' && action.type !== 'error') return;
    // The server has recorded the change (or refused it) by the time its PATCH is answered.
    void queryClient.invalidateQueries({ queryKey: auditKeys.all });
    const input = event.mutation.state.variables as ChangeInput | undefined;
    const task = event.mutation.state.data as Task | undefined;
    if (!input) return;
    const change = {
      vm: input.context?.vm_id ?? '',
      network: input.context?.network_id ?? '',
      networkName: input.context?.network_name,
      vmName: input.context?.vm_name,
      interfaceName: input.interfaceName,
      from: input.from,
      to: input.to,
    };
    if (action.type === 'success' && task?.id) activityLog.recordChange({ taskId: task.id, ...change });
    // Refused and failed changes are part of the record too (409, 422, 403, 503, a lost answer).
    else if (action.type === 'error') activityLog.recordChangeError(change, action.error);
  });
  return () => {
    offQueries();
    offMutations();
  };
}
