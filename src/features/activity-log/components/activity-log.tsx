import { memo, useId } from 'react';
import { CopyButton } from '../../../components/copy-button.tsx';
import { StatusChip } from '../../../components/status-chip.tsx';
import { RelativeTime } from '../../../components/relative-time.tsx';
import { useNow } from '../../../lib/use-now.ts';
import { locationSearch, type PanelLocation } from '../../../lib/url-state.ts';
import type { ActivityEntry } from '../activity-store.ts';
import { activityText, describeEntry } from '../activity-text.ts';

export interface ActivityLogProps {
  entries: readonly ActivityEntry[];
  /** Go back to an entry's VM and network (and its task). */
  onOpen: (to: PanelLocation) => void;
  onClear: () => void;
}

const STATUS_CHIP = {
  running: { label: 'Task running', color: 'info' },
  completed: { label: 'Task completed', color: 'success' },
  failed: { label: 'Task failed', color: 'error' },
} as const;

const target = (e: ActivityEntry): PanelLocation => ({
  vm: e.vm,
  network: e.network,
  task: e.kind === 'change' && e.status === 'running' ? e.taskId : undefined,
});

/**
 * This tab's lookups and changes, newest first, with a link back to each and a copy for tickets.
 * Memoized: the panel re-renders on every query update (a lookup's answer, each task poll), and the
 * log only needs to when its entries change (keep `onOpen`/`onClear` stable). Plain elements and
 * the panel's CSS (`.kp-log…` in src/app/shell.css): a row is added with every lookup, in the same
 * render as the card, and MUI's Paper/Typography/Link rows cost style work there and heap per row.
 */
export const ActivityLog = memo(function ActivityLog({ entries, onOpen, onClear }: ActivityLogProps) {
  const headingId = useId();
  // One clock for the whole log: its relative times move on every 15 s (not a timer per row).
  const tick = useNow(15_000);
  const newestFirst = [...entries].reverse();
  return (
    <section className="kp-log" aria-labelledby={headingId}>
      <div className="kp-log-head">
        <div>
          <h2 id={headingId}>Activity this session</h2>
          <p>Lookups and changes made in this browser tab; forgotten when the tab closes.</p>
        </div>
        {entries.length > 0 ? (
          <div className="kp-log-actions">
            <CopyButton label="activity log" showLabel text={activityText(entries)} />
            <button type="button" className="kp-log-clear" onClick={onClear}>
              Clear
            </button>
          </div>
        ) : null}
      </div>
      {entries.length === 0 ? (
        <p className="kp-log-empty">Nothing yet. Each lookup and speed change you make here is listed, ready to paste into a ticket.</p>
      ) : (
        <ol className="kp-log-list" aria-label="Activity entries">
          {newestFirst.map((e) => (
            <LogRow key={e.id} entry={e} tick={tick} onOpen={onOpen} />
          ))}
        </ol>
      )}
    </section>
  );
});

/**
 * One entry. Memoized: a lookup adds a row, and the rows already there (up to 200) need not render
 * again for it; they do when the log's clock ticks.
 */
const LogRow = memo(function LogRow({ entry: e, tick, onOpen }: { entry: ActivityEntry; tick: number; onOpen: (to: PanelLocation) => void }) {
  const to = target(e);
  return (
    <li>
      <span className="kp-secondary">
        {/* The clock ticks every 15 s: an entry newer than its last tick is "now", not "in 5 seconds". */}
        <RelativeTime unixSeconds={e.at} nowMs={Math.max(tick, e.at * 1000)} />
      </span>
      <div className="kp-log-text">
        {e.kind === 'change' ? (
          <StatusChip label={STATUS_CHIP[e.status].label} colour={STATUS_CHIP[e.status].color} />
        ) : e.error ? (
          <StatusChip label="Lookup failed" colour="error" />
        ) : null}
        {describeEntry(e)}
      </div>
      <a
        className="kp-link"
        href={locationSearch(to) || '?'}
        onClick={(ev) => {
          ev.preventDefault();
          onOpen(to);
        }}
        aria-label={`Open ${e.vmName ?? e.vm} on ${e.network}${to.task ? ` and follow task ${to.task}` : ''}`}
      >
        Open
      </a>
    </li>
  );
});
