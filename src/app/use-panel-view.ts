/**
 * Which view the panel shows, the interface (lookup, card, change) or the audit log, and the moves
 * between them. In the audit view `vm` is one of the log's filters and nothing is looked up, so the
 * way there drops the network and the task; the way back returns to the last interface looked up.
 */
import { useState } from 'react';
import type { AuditFilters } from '../features/audit/api/get-audit.ts';
import type { PanelLocation } from '../lib/url-state.ts';

export type PanelView = 'interface' | 'audit';
type Navigate = (next: PanelLocation, mode?: 'push' | 'replace') => void;

export function usePanelView(loc: PanelLocation, navigate: Navigate) {
  const view: PanelView = loc.view === 'audit' ? 'audit' : 'interface';
  const [lastLookup, setLastLookup] = useState<PanelLocation>({ vm: undefined, network: undefined, task: undefined });
  // Remembered while rendering (not in an effect) so the tab switch never sees a stale lookup.
  if (view === 'interface' && (lastLookup.vm !== loc.vm || lastLookup.network !== loc.network)) {
    setLastLookup({ vm: loc.vm, network: loc.network, task: undefined });
  }
  return {
    view,
    show: (next: PanelView) => {
      if (next === view) return;
      navigate(next === 'audit' ? { vm: loc.vm, network: undefined, task: undefined, view: 'audit' } : lastLookup);
    },
    /** The audit log with these filters (from the card's "All changes in the audit log"). */
    showAudit: ({ vm, ...filters }: AuditFilters) =>
      navigate({ vm, network: undefined, task: undefined, view: 'audit', params: filters }),
    /** Look an interface up again (a row's "Open"): the lookup runs. */
    open: (target: { vm: string; network: string | undefined }) => navigate({ vm: target.vm, network: target.network, task: undefined }),
  };
}
