/**
 * This browser tab's lookups and speed changes, for the activity log and for tickets.
 * Kept in sessionStorage (it survives a reload, dies with the tab) and in memory when storage is
 * unavailable. Entries hold only what staff see on screen: ids, names, profiles, outcomes; never a
 * token, never a request header.
 */
import { readSession, writeSession } from '../../lib/storage.ts';

/** What every entry has: when, and the lookup it was made from (as typed). */
interface EntryBase {
  id: string;
  /** Unix seconds. */
  at: number;
  vm: string;
  network: string;
  vmName?: string | undefined;
  interfaceName?: string | undefined;
}

export interface LookupEntry extends EntryBase {
  kind: 'lookup';
  networkName?: string | undefined;
  /** The IP address the lookup started from. */
  ip?: string | undefined;
  /** Set when the lookup failed: Katapult's code or `HTTP 502`. */
  error?: string | undefined;
}

/**
 * A change as it started. A change with a task keeps no status here: it is read from the task's
 * query (useChangeStatus). A change answered with an error got no task: how it was answered is all
 * there is to know of it, so it is kept.
 */
export interface ChangeEntry extends EntryBase {
  kind: 'change';
  networkName?: string | undefined;
  from?: string | undefined;
  to: string;
  /** Empty for a change that got no task (refused, or no usable answer). */
  taskId: string;
  /** A change answered with an error: `refused` (nothing changed: 409, 422, 403, 503…) or `unknown` (no usable answer). */
  answer?: 'refused' | 'unknown' | undefined;
  /** The code and HTTP status of a refused change, or why its outcome is unknown. */
  error?: string | undefined;
}

export type ActivityEntry = LookupEntry | ChangeEntry;

export const STORAGE_KEY = 'katapult-panel.activity-log.v1';
const MAX_ENTRIES = 200;

let entries: ActivityEntry[] = load();
const listeners = new Set<() => void>();

function load(): ActivityEntry[] {
  const parsed = readSession<unknown>(STORAGE_KEY, []);
  return Array.isArray(parsed) ? (parsed as ActivityEntry[]).filter((e) => e && (e.kind === 'lookup' || e.kind === 'change')) : [];
}

function commit(next: ActivityEntry[]) {
  entries = next.slice(-MAX_ENTRIES);
  writeSession(STORAGE_KEY, entries);
  for (const l of listeners) l();
}

export const activityStore = {
  subscribe(listener: () => void) {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  getSnapshot: () => entries,
  add(entry: ActivityEntry) {
    commit([...entries, entry]);
  },
  clear() {
    commit([]);
  },
};

let counter = 0;
export const newEntryId = () => `${Date.now().toString(36)}-${(counter++).toString(36)}`;
