/**
 * The panel server's stream of audit-log changes (GET /api/panel/events, Server-Sent Events): a
 * colleague's change starting, progressing and ending. The browser's EventSource reconnects by
 * itself and sends Last-Event-ID, so the server replays what was missed. This module only reads the
 * stream; what the events change in react-query's cache is decided by the app (src/app/live-changes.ts).
 */
import * as z from 'zod/mini';
import { auditEntrySchema } from '../../protocol/audit.ts';
import { CHANGE_EVENT, type ChangeEvent } from '../../protocol/events.ts';

const changeEventSchema = z.object({
  kind: z.enum(['started', 'progress', 'ended', 'refused']),
  entry: auditEntrySchema,
});

/** The stream's URL: one interface's changes (the card), or every change (the Audit view). */
export function changeEventsUrl(apiBase: string, interfaceId?: string): string {
  return `${apiBase}/panel/events${interfaceId ? `?interface=${encodeURIComponent(interfaceId)}` : ''}`;
}

/** After this many failed attempts in a row without an event, the stream is taken to be unavailable here. */
export const MAX_FAILED_ATTEMPTS = 3;
/** A stream given up on (refused, or failing) is tried again after this long. */
export const REOPEN_AFTER_MS = 60_000;

export interface ChangeStreamHandlers {
  onEvent: (event: ChangeEvent) => void;
  /** The stream is open (first time or again): events from now on arrive. */
  onOpen: () => void;
  /** The stream cannot be held open (refused, or failing again and again): the caller refreshes by other means. */
  onDown: () => void;
}

/**
 * Opens the stream; returns the function that closes it. A stream the server refused or that keeps
 * failing (a proxy that buffers or cuts it) is reported down, closed, and tried again later.
 */
export function openChangeEvents(url: string, handlers: ChangeStreamHandlers): () => void {
  if (typeof EventSource === 'undefined') {
    handlers.onDown();
    return () => {};
  }
  let source: EventSource | undefined;
  let reopen: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;
  let closed = false;

  const open = () => {
    const s = new EventSource(url);
    source = s;
    s.onopen = () => {
      failures = 0;
      handlers.onOpen();
    };
    s.addEventListener(CHANGE_EVENT, (message) => {
      failures = 0;
      let data: unknown;
      try {
        data = JSON.parse((message as MessageEvent<string>).data);
      } catch {
        return;
      }
      const parsed = z.safeParse(changeEventSchema, data);
      if (parsed.success) handlers.onEvent(parsed.data as ChangeEvent);
    });
    s.onerror = () => {
      failures++;
      // CLOSED: the server refused the stream (not 200, or not an event stream); EventSource never retries that.
      if (s.readyState !== EventSource.CLOSED && failures < MAX_FAILED_ATTEMPTS) return;
      s.close();
      handlers.onDown();
      if (!closed) reopen = setTimeout(open, REOPEN_AFTER_MS);
    };
  };
  open();
  return () => {
    closed = true;
    clearTimeout(reopen);
    source?.close();
  };
}
