import { usePanelConfig } from '../../../lib/panel-config.tsx';
import { timeTexts } from '../audit-text.ts';

/**
 * A recorded time: relative ("2 hours ago") with the exact local time in its title, or (`exact`, for
 * the log, where rows are compared with each other and pasted into tickets) the exact time itself,
 * with its zone and the relative time in the title.
 */
export function AuditTime({ iso, nowMs, exact = false, timeZone }: { iso: string; nowMs: number; exact?: boolean; timeZone?: string | undefined }) {
  const { locale } = usePanelConfig();
  const t = timeTexts(iso, nowMs, locale, timeZone);
  return (
    <time dateTime={iso} title={exact ? `${t.exact} · ${t.relative}` : t.exact}>
      {exact ? t.compact : t.relative}
    </time>
  );
}
