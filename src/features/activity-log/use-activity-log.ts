import { useQuery } from '@tanstack/react-query';
import { useSyncExternalStore } from 'react';
import type { ApiError } from '../../api/api-error.ts';
import { changeOutcomeUnknown, errorLabel } from '../../api/error-messages.ts';
import { taskOptions } from '../../api/tasks.ts';
import type { LookupInterface } from '../../api/types.ts';
import { useApi } from '../../lib/panel-config.tsx';
import { activityStore, newEntryId, type ActivityEntry, type ChangeEntry, type LookupEntry } from './activity-store.ts';

/** A change as it starts: its entry, less what the log adds itself. */
export type ChangeStarted = Omit<ChangeEntry, 'kind' | 'id' | 'at'>;

/**
 * What the log says of a change's task: its end (completed, failed), `running` while the panel
 * follows it, and `not_followed` when its end is not known here (the panel stopped following it);
 * for a change answered with an error (no task), `refused` or `unknown` (ChangeEntry.answer).
 */
export type ChangeStatus = 'completed' | 'failed' | 'running' | 'not_followed' | 'refused' | 'unknown';

/** The status a task's latest known answer gives a change. */
export function changeStatus(status: string | undefined, followed: boolean): ChangeStatus {
  if (status === 'completed' || status === 'failed') return status;
  return followed ? 'running' : 'not_followed';
}

/** A reader's `followingSince`: long enough ago that it neither polls nor retries. */
export const NOT_FOLLOWING = 0;

export interface LookupOutcome {
  vm: string;
  network: string;
  /** The IP address the lookup started from. */
  ip?: string | undefined;
  /** When the answer arrived: the same answer shown again (back/forward) is not a new lookup. */
  answeredAt: number;
  result: { iface: LookupInterface } | { error: ApiError };
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** This page was reloaded (or restored): its first lookup repeats the last one logged, not a new one. */
const restored = () => {
  const nav = typeof performance === 'undefined' ? undefined : performance.getEntriesByType?.('navigation')[0];
  return nav !== undefined && 'type' in nav && (nav.type === 'reload' || nav.type === 'back_forward');
};
let firstOfPage = true;

const sameLookup = (a: LookupEntry, b: LookupEntry) => a.vm === b.vm && a.network === b.network && a.ip === b.ip && a.error === b.error;

/** "change_in_progress · HTTP 409"; a check the panel made itself (HTTP 200 answer) gives its code alone. */
const errorText = (e: ApiError) => (e.code && e.status === 200 ? e.code : errorLabel(e));

/** Where a change was made from, as the log names it. */
export interface ChangeSite {
  vm: string;
  network: string;
  vmName?: string | undefined;
  networkName?: string | undefined;
  interfaceName?: string | undefined;
}

/** The log's entry for a change Katapult accepted: its task, its profiles as shown, and where it was made from. */
export const changeEntry = (change: { taskId: string; from: string | undefined; to: string }, at: ChangeSite): ChangeStarted => ({
  taskId: change.taskId,
  from: change.from,
  to: change.to,
  vm: at.vm,
  network: at.network,
  vmName: at.vmName,
  networkName: at.networkName,
  interfaceName: at.interfaceName,
});

/** Lookups and speed changes, as the app reports them. */
export const activityLog = {
  recordLookup({ vm, network, ip, answeredAt, result }: LookupOutcome) {
    const id = `${ip ?? vm}|${network}|${answeredAt}`;
    const entry: LookupEntry =
      'iface' in result
        ? {
            kind: 'lookup',
            id,
            at: nowSeconds(),
            vm,
            network,
            vmName: result.iface.virtual_machine?.name,
            interfaceName: result.iface.name,
            networkName: (result.iface.network ?? result.iface.virtual_network)?.name,
            ip,
          }
        : { kind: 'lookup', id, at: nowSeconds(), vm, network, ip, error: errorText(result.error) };
    const all = activityStore.getSnapshot();
    const lastLookup = all.findLast((e): e is LookupEntry => e.kind === 'lookup');
    const repeatAfterReload = firstOfPage && restored() && lastLookup !== undefined && sameLookup(lastLookup, entry);
    firstOfPage = false;
    if (repeatAfterReload || all.some((e) => e.id === id)) return;
    activityStore.add(entry);
  },

  recordChange(c: ChangeStarted) {
    activityStore.add({ kind: 'change', id: newEntryId(), at: nowSeconds(), ...c });
  },

  /** A change answered with an error: refused (nothing changed), or sent with no usable answer. It has no task. */
  recordChangeError(change: { from: string | undefined; to: string }, at: ChangeSite, error: ApiError) {
    const answer = changeOutcomeUnknown(error) ? 'unknown' : 'refused';
    activityStore.add({ kind: 'change', id: newEntryId(), at: nowSeconds(), ...changeEntry({ ...change, taskId: '' }, at), answer, error: errorText(error) });
  },
};

const NONE: readonly ActivityEntry[] = [];

/**
 * The log's entries, oldest first; re-renders when one is added or changes. The prerendered page
 * has none (the build has no session: its server snapshot); the browser shows this tab's.
 */
export const useActivityEntries = (): readonly ActivityEntry[] =>
  useSyncExternalStore(activityStore.subscribe, activityStore.getSnapshot, () => NONE);

/**
 * A change's status, read from its task's query, the one place a task's status lives. The task's
 * progress polls it while it is followed; this reader never polls, and asks once when the cache has
 * no answer (after a reload).
 */
export function useChangeStatus(entry: ChangeEntry, followed: boolean): ChangeStatus {
  const taskStatus = useQuery({ ...taskOptions(useApi(), entry.taskId, NOT_FOLLOWING), select: (t) => t.status, enabled: !entry.answer && !!entry.taskId }).data;
  return entry.answer ?? changeStatus(taskStatus, followed);
}
