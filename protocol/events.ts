/**
 * GET /api/panel/events: the audit log's changes as Server-Sent Events, for one interface
 * (`?interface=vmnet_…`, the card) or for all (the Audit view). Each event is `event: change`, its
 * id `<updated_at>~<record id>` (sent back as Last-Event-ID on a reconnect, to replay what was
 * missed), its data a ChangeEvent. Stated once here for the server and the panel.
 */
import type { AuditEntry } from './audit.ts';

export const EVENTS_PATH = '/api/panel/events';
export const CHANGE_EVENT = 'change';

export type ChangeEventKind = 'started' | 'progress' | 'ended' | 'refused';

export interface ChangeEvent {
  kind: ChangeEventKind;
  entry: AuditEntry;
}

/** What the record's outcome says happened: accepted, running, ended (however it ended), or refused by Katapult or the panel. */
export function changeEventKind(outcome: AuditEntry['outcome']): ChangeEventKind {
  if (outcome === 'pending') return 'started';
  if (outcome === 'running') return 'progress';
  if (outcome === 'rejected') return 'refused';
  return 'ended';
}

export const changeEventId = (entry: Pick<AuditEntry, 'id' | 'updated_at'>) => `${entry.updated_at}~${entry.id}`;

/** The record id and write time a Last-Event-ID names; undefined when it is not one of ours. */
export function parseChangeEventId(value: string | undefined): { updatedAt: string; id: string } | undefined {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z)~(aud_[0-9A-Za-z]{1,64})$/.exec(value ?? '');
  if (!m || Number.isNaN(Date.parse(m[1]!))) return undefined;
  return { updatedAt: m[1]!, id: m[2]! };
}
