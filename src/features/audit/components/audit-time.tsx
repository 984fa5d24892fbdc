import { usePanelConfig } from '../../../lib/panel-config.tsx';
import { timeTexts } from '../audit-text.ts';

/**
 * A recorded time: relative ("2 hours ago") with the exact local time in its title, or the exact
 * time itself (`exact`) for the log, where rows are compared with each other and pasted into tickets.
 */
export function AuditTime({ iso, nowMs, exact = false }: { iso: string; nowMs: number; exact?: boolean }) {
  const { locale } = usePanelConfig();
  const t = timeTexts(iso, nowMs, locale);
  return (
    <time dateTime={iso} title={exact ? `${t.relative} · ${iso}` : t.exact}>
      {exact ? t.exact : t.relative}
    </time>
  );
}
