import { useSyncExternalStore } from 'react';
import type { ApiError } from '../../api/api-error.ts';
import { changeOutcomeUnknown, errorLabel } from '../../api/error-messages.ts';
import type { LookupInterface, Task } from '../../api/types.ts';
import { activityStore, newEntryId, type ActivityEntry, type ChangeEntry, type LookupEntry } from './activity-store.ts';

/** A change as it starts: its entry, less what the log adds itself. */
export type ChangeStarted = Omit<ChangeEntry, 'kind' | 'id' | 'at' | 'status' | 'finishedAt'>;

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
    activityStore.add({ kind: 'change', id: newEntryId(), at: nowSeconds(), status: 'running', ...c });
  },

  /** A change answered with an error: refused (nothing changed), or sent with no usable answer. */
  recordChangeError(c: Omit<ChangeStarted, 'taskId'>, error: ApiError) {
    const status = changeOutcomeUnknown(error) ? 'unknown' : 'refused';
    activityStore.add({ kind: 'change', id: newEntryId(), at: nowSeconds(), status, taskId: '', error: errorText(error), ...c });
  },

  recordTaskResult(task: Task) {
    const status = task.status;
    if (!task.id || (status !== 'completed' && status !== 'failed')) return;
    activityStore.update(
      (e) => e.kind === 'change' && e.taskId === task.id,
      (e) => ({ ...e, status, finishedAt: task.finished_at ?? nowSeconds() }) as ChangeEntry,
    );
  },
};

const NONE: readonly ActivityEntry[] = [];

/**
 * The log's entries, oldest first; re-renders when one is added or changes. The prerendered page
 * has none (the build has no session), so hydration starts from none and then shows this tab's.
 */
export const useActivityEntries = (): readonly ActivityEntry[] =>
  useSyncExternalStore(activityStore.subscribe, activityStore.getSnapshot, () => NONE);
