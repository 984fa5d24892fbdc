import { useCallback, useEffect, useState } from 'react';

/**
 * The panel's place: what is looked up, which task is followed, and which view is shown (`audit`,
 * or the interface view when absent). Mirrors `?vm=&network=&task=&view=`.
 */
export interface PanelLocation {
  vm: string | undefined;
  network: string | undefined;
  task: string | undefined;
  view?: string | undefined;
  /** Parameters a view keeps in the URL itself (the audit log's filters): written here, read by that view. */
  params?: Readonly<Record<string, string | undefined>> | undefined;
}

export function readLocation(search: string): PanelLocation {
  const p = new URLSearchParams(search);
  const get = (k: string) => p.get(k) ?? undefined;
  return { vm: get('vm'), network: get('network'), task: get('task'), view: get('view') };
}

export function locationSearch(l: PanelLocation): string {
  const p = new URLSearchParams();
  for (const k of ['vm', 'network', 'task', 'view'] as const) {
    const v = l[k];
    if (v) p.set(k, v);
  }
  for (const [k, v] of Object.entries(l.params ?? {})) if (v) p.set(k, v);
  const s = p.toString();
  return s ? `?${s}` : '';
}

/**
 * The location as state. With `sync`, it is read from and written to the page URL (deep links,
 * reload, back/forward); without (mounted in a portal), it lives in memory only.
 */
export function usePanelLocation(sync: boolean, initial: PanelLocation) {
  const [loc, setLoc] = useState<PanelLocation>(() => (sync ? readLocation(window.location.search) : initial));
  useEffect(() => {
    if (!sync) return;
    const onPop = () => setLoc(readLocation(window.location.search));
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, [sync]);
  const navigate = useCallback(
    (next: PanelLocation, mode: 'push' | 'replace' = 'push') => {
      setLoc(next);
      if (!sync) return;
      const url = `${window.location.pathname}${locationSearch(next)}${window.location.hash}`;
      if (url === `${window.location.pathname}${window.location.search}${window.location.hash}`) return;
      if (mode === 'push') window.history.pushState(null, '', url);
      else window.history.replaceState(null, '', url);
    },
    [sync],
  );
  return [loc, navigate] as const;
}
