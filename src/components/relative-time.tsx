import { useId } from 'react';
import { formatExact, formatIso, formatRelative } from '../lib/time.ts';

export interface RelativeTimeProps {
  /** Katapult's timestamps are Unix seconds. */
  unixSeconds: number;
  /** What "now" is (ms): the caller's clock, so that a list of times shares one timer. */
  nowMs: number;
  /** Show the exact time first and the relative one after it, e.g. for dates far away. */
  exactFirst?: boolean;
}

/**
 * "2 min ago" in the user's locale, with the exact local time (and zone) in a tooltip on hover and
 * keyboard focus, and in `<time dateTime>` for assistive technology and copy-paste. The tooltip is
 * plain CSS (src/app/shell.css, `.kp-tip`): MUI's Tooltip brought a positioning engine (Popper) into
 * the bundle for this one use.
 */
export function RelativeTime({ unixSeconds, nowMs, exactFirst = false }: RelativeTimeProps) {
  const tipId = useId();
  const exact = formatExact(unixSeconds);
  const relative = formatRelative(unixSeconds, nowMs);
  return (
    <span className="kp-tip-anchor">
      <time dateTime={formatIso(unixSeconds)} tabIndex={0} aria-describedby={tipId} className="kp-time">
        {exactFirst ? `${exact} (${relative})` : relative}
      </time>
      <span role="tooltip" id={tipId} className="kp-tip">
        {exact}
      </span>
    </span>
  );
}
