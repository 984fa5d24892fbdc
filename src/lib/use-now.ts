import { useEffect, useState } from 'react';

/**
 * The time (ms since the epoch), moved on every `intervalMs` while one is given: for times shown
 * relative to now (display only). One clock per list of times, not one per row.
 */
export function useNow(intervalMs: number | undefined) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (intervalMs === undefined) return;
    const t = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(t);
  }, [intervalMs]);
  return now;
}

/** How often relative times in lists ("2 min ago") move on. */
export const RELATIVE_CLOCK_MS = 30_000;
