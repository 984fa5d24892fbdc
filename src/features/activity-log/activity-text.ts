import { formatExact } from '../../lib/time.ts';
import type { ActivityEntry } from './activity-store.ts';
import type { ChangeStatus } from './use-activity-log.ts';

const named = (name: string | undefined, id: string) => (name && name !== id ? `${name} (${id})` : id);

/**
 * One line per entry, plain words, for the list and for tickets: each says what it was, a failure as
 * a failure. `status`: a change's task status (useChangeStatus); a change answered with an error says its own.
 */
export function describeEntry(e: ActivityEntry, status?: ChangeStatus): string {
  if (e.kind === 'lookup') {
    if (e.ip && e.error) return `Lookup of IP address ${e.ip} failed: ${e.error}`;
    const where = `${named(e.vmName, e.vm)} on ${named(e.networkName, e.network)}`;
    const from = e.ip ? ` from IP address ${e.ip}` : '';
    return e.error ? `Lookup failed: ${e.error} (${where})` : `Looked up ${where}${from}: interface ${e.interfaceName ?? 'found'}`;
  }
  const iface = e.interfaceName ? `interface ${e.interfaceName}` : 'the interface';
  const vm = e.vm ? ` of VM ${named(e.vmName, e.vm)}` : e.vmName ? ` of VM ${e.vmName}` : '';
  const net = e.network ? `, network ${named(e.networkName, e.network)}` : '';
  const task = e.taskId ? ` · task ${e.taskId}` : '';
  const what = `${iface}${vm}${net}: ${e.from ?? 'unknown'} → ${e.to}${task}`;
  switch (e.answer ?? status) {
    case 'refused':
      return `Speed change refused (${e.error ?? 'no code'}), nothing changed: ${what}`;
    case 'unknown':
      return `Speed change sent, outcome unknown (${e.error ?? 'no answer'}): ${what}`;
    case 'failed':
      return `Speed change failed: ${what}`;
    case 'completed':
      return `Changed the speed profile of ${what}`;
    case 'not_followed':
      return `Started changing the speed profile of ${what} (end not followed)`;
    default:
      return `Changing the speed profile of ${what}`;
  }
}

/** The log as text for a ticket: oldest first, exact local times with their zone; each change with its status as the list shows it. */
export function activityText(entries: readonly ActivityEntry[], statusOf: (taskId: string) => ChangeStatus, locale?: string): string {
  return entries.map((e) => `${formatExact(e.at, locale)} · ${describeEntry(e, e.kind === 'change' && !e.answer ? statusOf(e.taskId) : undefined)}`).join('\n');
}
