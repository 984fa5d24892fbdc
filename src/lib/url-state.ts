import { useCallback, useEffect, useState } from 'react';

/** The panel's place: what is looked up and which task is followed. Mirrors `?vm=&network=&task=`. */
export interface PanelLocation {
  vm: string | undefined;
  network: string | undefined;
  task: string | undefined;
}

export function readLocation(search: string): PanelLocation {
  const p = new URLSearchParams(search);
  return { vm: p.get('vm') ?? undefined, network: p.get('network') ?? undefined, task: p.get('task') ?? undefined };
}

export function locationSearch(l: PanelLocation): string {
  const p = new URLSearchParams();
  if (l.vm) p.set('vm', l.vm);
  if (l.network) p.set('network', l.network);
  if (l.task) p.set('task', l.task);
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
