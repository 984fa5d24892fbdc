/**
 * Compact or comfortable: the host's choice (mount()'s `density`, the iframe's `?density=`), else
 * compact in a viewport less than 700 px high (a portal's pane). The build's prerender has no
 * viewport and draws comfortable (the server snapshot); the browser's first render reads the media query.
 */
import { useSyncExternalStore } from 'react';
import { usePanelConfig } from './panel-config.tsx';

const SHORT = '(max-height: 699.98px)';
const media = () => (typeof window !== 'undefined' && window.matchMedia ? window.matchMedia(SHORT) : undefined);
const subscribe = (onChange: () => void) => {
  const m = media();
  m?.addEventListener('change', onChange);
  return () => m?.removeEventListener('change', onChange);
};

export function useCompact(): boolean {
  const { density } = usePanelConfig();
  const short = useSyncExternalStore(subscribe, () => media()?.matches ?? false, () => false);
  return density ? density === 'compact' : short;
}
