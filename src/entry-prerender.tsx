/**
 * The build's server entry (scripts/prerender.ts): the page's first screen, `/`, rendered to HTML
 * with its critical CSS, following MUI's server-rendering guide. It runs once at build time, in Node.
 */
import createCache from '@emotion/cache';
import createEmotionServer from '@emotion/server/create-instance';
import { createMemoryHistory } from '@tanstack/react-router';
import { prerender } from 'react-dom/static';
import { createPagePanel, PAGE_EMOTION_KEY, PRERENDERED_URL } from './app/page.tsx';

export interface FirstScreen {
  /** What goes inside `#root`. */
  html: string;
  /** emotion's `<style data-emotion="kp …">` tags, for the <head>. */
  styles: string;
}

export async function renderFirstScreen(): Promise<FirstScreen> {
  const cache = createCache({ key: PAGE_EMOTION_KEY });
  const { extractCriticalToChunks, constructStyleTagsFromChunks } = createEmotionServer(cache);
  const { panel, element } = createPagePanel(createMemoryHistory({ initialEntries: [PRERENDERED_URL] }), cache);
  try {
    await panel.load();
    // prerender (not renderToString) waits for the lazy parts, so no Suspense boundary is left for the client to redo.
    const { prelude } = await prerender(element);
    const html = await new Response(prelude).text();
    const chunks = extractCriticalToChunks(html);
    return { html, styles: constructStyleTagsFromChunks(chunks) };
  } finally {
    panel.dispose();
  }
}
