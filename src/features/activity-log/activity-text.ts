import { formatExact } from '../../lib/time.ts';
import type { ActivityEntry } from './activity-store.ts';

const named = (name: string | undefined, id: string) => (name && name !== id ? `${name} (${id})` : id);

export const STATUS_WORDS = { running: 'running', completed: 'completed', failed: 'failed' } as const;

/** One line per entry, plain words, for the list and for tickets. */
export function describeEntry(e: ActivityEntry): string {
  if (e.kind === 'lookup') {
    const where = `${named(e.vmName, e.vm)} on ${named(e.networkName, e.network)}`;
    return e.error ? `Looked up ${where}: ${e.error}` : `Looked up ${where}: interface ${e.interfaceName ?? 'found'}`;
  }
  return `Changed the speed profile of ${e.interfaceName ?? 'the interface'} on ${named(e.vmName, e.vm)} (${e.network}): ${e.from ?? 'unknown'} → ${e.to} · task ${e.taskId} ${STATUS_WORDS[e.status]}`;
}

/** The log as text for a ticket: oldest first, exact local times with their zone. */
export function activityText(entries: readonly ActivityEntry[], locale?: string): string {
  return entries.map((e) => `${formatExact(e.at, locale)} · ${describeEntry(e)}`).join('\n');
}
