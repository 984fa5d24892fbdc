/**
 * Times in the user's own locale and time zone (the browser's defaults), as exact text and as
 * relative text ("2 min ago", "in 6 days"). Katapult sends Unix seconds.
 */

/** One formatter per locale: building an Intl formatter loads time-zone data, and every time in the log uses one. */
function cached<F>(make: (locale: string | undefined) => F) {
  const byLocale = new Map<string, F>();
  return (locale: string | undefined) => {
    const key = locale ?? '';
    let f = byLocale.get(key);
    if (!f) byLocale.set(key, (f = make(locale)));
    return f;
  };
}
const exactFormat = cached((locale) => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'long' }));
const relativeFormat = cached((locale) => new Intl.RelativeTimeFormat(locale, { numeric: 'auto', style: 'long' }));

/** "23 Nov 2026, 09:14:05 GMT+1": the exact time, with seconds and the zone, for hovers and tickets. */
export const formatExact = (unixSeconds: number, locale?: string) => exactFormat(locale).format(new Date(unixSeconds * 1000));

/** ISO 8601 for `<time dateTime>` and for logs pasted into tickets. */
export const formatIso = (unixSeconds: number) => new Date(unixSeconds * 1000).toISOString();

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86_400],
  ['month', 30 * 86_400],
  ['week', 7 * 86_400],
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
  ['second', 1],
];

/** "2 min ago", "in 6 days", "now", relative to `nowMs`. */
export function formatRelative(unixSeconds: number, nowMs = Date.now(), locale?: string): string {
  const diff = unixSeconds - nowMs / 1000;
  const abs = Math.abs(diff);
  const rtf = relativeFormat(locale);
  if (abs < 10) return rtf.format(0, 'second');
  for (const [unit, seconds] of UNITS) {
    if (abs >= seconds || unit === 'second') return rtf.format(Math.round(diff / seconds), unit);
  }
  return rtf.format(0, 'second');
}
