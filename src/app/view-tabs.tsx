import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import { useLocation, useNavigate, useSearch } from '@tanstack/react-router';

export type PanelView = 'interface' | 'audit';

export const viewTabId = (panelId: string, view: PanelView) => `${panelId}-tab-${view}`;

/**
 * The header's tabs between the panel's two views; `panelId` is the tab panel they control. In the
 * audit view `vm` is one of the log's filters and nothing is looked up, so the way there keeps only
 * the VM; the way back returns to the lookup the Audit tab was opened from (kept in history state).
 */
export function ViewTabs({ panelId }: { panelId: string }) {
  const search = useSearch({ from: '__root__' });
  const from = useLocation({ select: (l) => l.state.lookup });
  const navigate = useNavigate();
  const view: PanelView = search.view === 'audit' ? 'audit' : 'interface';
  const show = (next: PanelView) => {
    if (next === view) return;
    void (next === 'audit'
      ? navigate({ to: '.', search: { vm: search.vm, view: 'audit' }, state: { lookup: { org: search.org, vm: search.vm, network: search.network, ip: search.ip } } })
      : navigate({ to: '.', search: { org: from?.org, vm: from?.vm, network: from?.network, ip: from?.ip } }));
  };
  return (
    <Tabs value={view} onChange={(_, v: PanelView) => show(v)} aria-label="Views" sx={{ mt: 1, borderBottom: 1, borderColor: 'divider' }}>
      <Tab value="interface" label="Interface" id={viewTabId(panelId, 'interface')} aria-controls={panelId} />
      <Tab value="audit" label="Audit" id={viewTabId(panelId, 'audit')} aria-controls={panelId} />
    </Tabs>
  );
}
