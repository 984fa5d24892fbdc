import Tooltip from '@mui/material/Tooltip';
import { formatExact, formatIso, formatRelative } from '../lib/time.ts';

export interface RelativeTimeProps {
  /** Katapult's timestamps are Unix seconds. */
  unixSeconds: number;
  /** What "now" is (ms): the caller's clock, so that a list of times shares one timer. */
  nowMs: number;
}

/**
 * "2 min ago" in the user's locale, with the exact local time (and zone) in a tooltip on hover and
 * keyboard focus, and in `<time dateTime>` for assistive technology and copy-paste.
 */
export function RelativeTime({ unixSeconds, nowMs }: RelativeTimeProps) {
  return (
    <Tooltip title={formatExact(unixSeconds)}>
      <time dateTime={formatIso(unixSeconds)} tabIndex={0}>
        {formatRelative(unixSeconds, nowMs)}
      </time>
    </Tooltip>
  );
}
