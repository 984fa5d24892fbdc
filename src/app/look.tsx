/**
 * What the host may change while the panel runs: its colour scheme (the portal's own switch, by
 * `?theme=` or postMessage) and its density (`?density=compact`, mount()'s `density`). A small
 * store read with useSyncExternalStore: the build's prerender draws the options the page started
 * with (its server snapshot), the browser the store's value.
 */
import { useSyncExternalStore, type ReactNode } from 'react';
import type { PanelOptions } from '../lib/panel-config.tsx';

export type Look = Pick<PanelOptions, 'themeMode' | 'density'>;

export function createLookStore(initial: Look) {
  let look = initial;
  const listeners = new Set<() => void>();
  return {
    subscribe(listener: () => void) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    get: () => look,
    set(next: Partial<Look>) {
      look = { ...look, ...next };
      for (const l of listeners) l();
    },
  };
}
export type LookStore = ReturnType<typeof createLookStore>;

export function LiveLook({ store, server, children }: { store: LookStore; server: Look; children: (look: Look) => ReactNode }) {
  return children(useSyncExternalStore(store.subscribe, store.get, () => server));
}

const THEMES = new Set(['light', 'dark', 'system']);

/** `?theme=light|dark|system&density=compact|comfortable` of the page's URL (the iframe's src). */
export function lookFromQuery(search: string): Partial<Look> {
  const p = new URLSearchParams(search);
  const theme = p.get('theme');
  const density = p.get('density');
  return {
    ...(theme && THEMES.has(theme) ? { themeMode: theme as Look['themeMode'] } : {}),
    ...(density === 'compact' || density === 'comfortable' ? { density } : {}),
  };
}
