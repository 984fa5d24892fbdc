/** How an audit entry reads on screen: its outcome, its profiles and its times. */
import { profileName } from '../../lib/format.ts';
import { formatExact, formatRelative } from '../../lib/time.ts';
import type { AuditEntry } from '../../../protocol/audit.ts';

/**
 * A change still pending or running after this long is taken as one whose end was never seen (the
 * tab that followed it was closed): the panel stops following a task after ten minutes too.
 */
export const NOT_SEEN_AFTER_MS = 10 * 60_000;

export type OutcomeKind = 'completed' | 'failed' | 'rejected' | 'already_assigned' | 'running' | 'pending' | 'not_seen';

export interface OutcomeView {
  kind: OutcomeKind;
  text: string;
}

export const toSeconds = (iso: string) => Date.parse(iso) / 1000;

/** The log's compact time (to the second, with its zone); one formatter per locale and zone. */
const compactFormats = new Map<string, Intl.DateTimeFormat>();
function compactFormat(locale: string | undefined, timeZone: string | undefined) {
  const key = `${locale ?? ''}|${timeZone ?? ''}`;
  let f = compactFormats.get(key);
  if (!f) {
    const opts: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', second: '2-digit', timeZoneName: 'short' };
    compactFormats.set(key, (f = new Intl.DateTimeFormat(locale, timeZone ? { ...opts, timeZone } : opts)));
  }
  return f;
}

/** "2 hours ago", the exact local time with its zone, and the compact one. Unparseable times are shown as given. */
export function timeTexts(iso: string, nowMs: number, locale?: string, timeZone?: string) {
  const s = toSeconds(iso);
  if (Number.isNaN(s)) return { relative: iso, exact: iso, compact: iso };
  return {
    relative: formatRelative(s, nowMs, locale),
    exact: formatExact(s, locale),
    compact: compactFormat(locale, timeZone).format(new Date(s * 1000)),
  };
}

/** The contract's outcome wording: "Completed", "Failed", "Rejected: <code>", "Running", "Outcome not seen · …". */
export function outcomeView(e: AuditEntry, nowMs: number, locale?: string): OutcomeView {
  switch (e.outcome) {
    case 'completed':
      return { kind: 'completed', text: 'Completed' };
    case 'failed':
      return { kind: 'failed', text: 'Failed' };
    case 'rejected':
      return { kind: 'rejected', text: `Rejected: ${e.error_code ?? 'unknown error'}` };
    case 'already_assigned':
      return { kind: 'already_assigned', text: 'Already assigned: nothing to change' };
    case 'unknown':
      return { kind: 'not_seen', text: `Outcome not seen · never seen to end (${e.error_code ?? 'no answer'})` };
    case 'pending':
    case 'running': {
      const seen = e.last_seen_at ?? e.at;
      const seenMs = Date.parse(seen);
      // The server says whether the change still holds the interface; the clock only words an old record without that.
      if (!e.expired && (e.blocking || Number.isNaN(seenMs) || nowMs - seenMs < NOT_SEEN_AFTER_MS)) {
        return e.outcome === 'running'
          ? { kind: 'running', text: 'Running' }
          : { kind: 'pending', text: 'Pending' };
      }
      const when = timeTexts(seen, nowMs, locale).relative;
      return {
        kind: 'not_seen',
        text: e.outcome === 'running' ? `Outcome not seen · last seen running ${when}` : `Outcome not seen · sent ${when}, no answer recorded`,
      };
    }
  }
}

/** A profile's name, else its permalink or id; "unknown" when the record has none. */
export const profileText = (p: Parameters<typeof profileName>[0]): string => profileName(p) ?? 'unknown';
