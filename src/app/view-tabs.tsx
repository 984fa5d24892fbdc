import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import type { PanelView } from './use-panel-view.ts';

export const viewTabId = (panelId: string, view: PanelView) => `${panelId}-tab-${view}`;

/** The header's tabs between the panel's two views; `panelId` is the tab panel they control. */
export function ViewTabs({ view, onChange, panelId }: { view: PanelView; onChange: (view: PanelView) => void; panelId: string }) {
  return (
    <Tabs value={view} onChange={(_, v: PanelView) => onChange(v)} aria-label="Views" sx={{ mt: 1, borderBottom: 1, borderColor: 'divider' }}>
      <Tab value="interface" label="Interface" id={viewTabId(panelId, 'interface')} aria-controls={panelId} />
      <Tab value="audit" label="Audit" id={viewTabId(panelId, 'audit')} aria-controls={panelId} />
    </Tabs>
  );
}
