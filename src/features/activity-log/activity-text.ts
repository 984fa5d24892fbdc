import { formatExact } from '../../lib/time.ts';
import type { ActivityEntry } from './activity-store.ts';
import type { ChangeStatus } from './use-activity-log.ts';

const named = (name: string | undefined, id: string) => (name && name !== id ? `${name} (${id})` : id);

/** One line per entry, plain words, for the list and for tickets: a failure reads as a failure. `status`: a change's (useChangeStatus). */
export function describeEntry(e: ActivityEntry, status?: ChangeStatus): string {
  if (e.kind === 'lookup') {
    const where = `${named(e.vmName, e.vm)} on ${named(e.networkName, e.network)}`;
    return e.error ? `Lookup failed: ${e.error} (${where})` : `Looked up ${where}: interface ${e.interfaceName ?? 'found'}`;
  }
  const what = `${e.interfaceName ?? 'the interface'} on ${named(e.vmName, e.vm)} (${e.network}): ${e.from ?? 'unknown'} → ${e.to} · task ${e.taskId}`;
  if (status === 'failed') return `Speed change failed: ${what}`;
  if (status === 'completed') return `Changed the speed profile of ${what}`;
  return status === 'not_followed' ? `Started changing the speed profile of ${what} (end not followed)` : `Changing the speed profile of ${what}`;
}

/** The log as text for a ticket: oldest first, exact local times with their zone; each change with its status as the list shows it. */
export function activityText(entries: readonly ActivityEntry[], statusOf: (taskId: string) => ChangeStatus, locale?: string): string {
  return entries.map((e) => `${formatExact(e.at, locale)} · ${describeEntry(e, e.kind === 'change' ? statusOf(e.taskId) : undefined)}`).join('\n');
}
