import { formatExact } from '../../lib/time.ts';
import type { ActivityEntry } from './activity-store.ts';

const named = (name: string | undefined, id: string) => (name && name !== id ? `${name} (${id})` : id);

/** One line per entry, plain words, for the list and for tickets: a failure reads as a failure. */
export function describeEntry(e: ActivityEntry): string {
  if (e.kind === 'lookup') {
    const where = `${named(e.vmName, e.vm)} on ${named(e.networkName, e.network)}`;
    return e.error ? `Lookup failed: ${e.error} (${where})` : `Looked up ${where}: interface ${e.interfaceName ?? 'found'}`;
  }
  const what = `${e.interfaceName ?? 'the interface'} on ${named(e.vmName, e.vm)} (${e.network}): ${e.from ?? 'unknown'} → ${e.to} · task ${e.taskId}`;
  if (e.status === 'failed') return `Speed change failed: ${what}`;
  return e.status === 'completed' ? `Changed the speed profile of ${what}` : `Changing the speed profile of ${what}`;
}

/** The log as text for a ticket: oldest first, exact local times with their zone. */
export function activityText(entries: readonly ActivityEntry[], locale?: string): string {
  return entries.map((e) => `${formatExact(e.at, locale)} · ${describeEntry(e)}`).join('\n');
}
