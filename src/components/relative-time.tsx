import Tooltip from '@mui/material/Tooltip';
import { useEffect, useState } from 'react';
import { formatExact, formatIso, formatRelative } from '../lib/time.ts';

export interface RelativeTimeProps {
  /** Katapult's timestamps are Unix seconds. */
  unixSeconds: number;
  /** Show the exact time first and the relative one after it, e.g. for dates far away. */
  exactFirst?: boolean;
}

/** Re-renders every `ms` so relative times stay true while the page stays open. */
function useNow(ms: number) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}

/**
 * "2 min ago" in the user's locale, with the exact local time (and zone) on hover and focus, and
 * in `<time dateTime>` for assistive technology and copy-paste.
 */
export function RelativeTime({ unixSeconds, exactFirst = false }: RelativeTimeProps) {
  const now = useNow(15_000);
  const exact = formatExact(unixSeconds);
  const relative = formatRelative(unixSeconds, now);
  return (
    <Tooltip title={exact} describeChild>
      <time dateTime={formatIso(unixSeconds)} tabIndex={0} style={{ textDecoration: 'underline dotted', textUnderlineOffset: 3 }}>
        {exactFirst ? `${exact} (${relative})` : relative}
      </time>
    </Tooltip>
  );
}
