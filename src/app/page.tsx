/**
 * The standalone page's panel (not mount()'s): one tree for the build's prerender
 * (src/entry-prerender.tsx) and the browser's render (src/main.tsx), so the painted first screen is
 * what the client's first render of `/` draws.
 */
import type { EmotionCache } from '@emotion/cache';
import { CacheProvider } from '@emotion/react';
import type { RouterHistory } from '@tanstack/react-router';
import { StrictMode } from 'react';
import { createPanel } from './panel.tsx';

/** The emotion cache key of the page: the prerendered <style> tags carry it, and the client's cache adopts them by it. */
export const PAGE_EMOTION_KEY = 'kp';
/** The URL the page's HTML is prerendered for. */
export const PRERENDERED_URL = '/';

export function createPagePanel(history: RouterHistory, cache: EmotionCache) {
  const panel = createPanel({ apiBase: '/api' }, history, { embedded: false });
  const element = (
    <StrictMode>
      <CacheProvider value={cache}>{panel.element}</CacheProvider>
    </StrictMode>
  );
  return { panel, element };
}
