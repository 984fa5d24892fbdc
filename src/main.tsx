import createCache from '@emotion/cache';
import { createBrowserHistory } from '@tanstack/react-router';
import { hydrateRoot } from 'react-dom/client';
import { lookFromQuery } from './app/look.tsx';
import { createPagePanel, PAGE_EMOTION_KEY } from './app/page.tsx';
import { listenForPortalTheme } from './app/portal-theme.ts';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
// The same key as the prerender's cache: emotion takes over the build's <style> tags instead of adding them again.
const cache = createCache({ key: PAGE_EMOTION_KEY });
const { panel, element } = createPagePanel(createBrowserHistory(), cache);
// Inside a portal's iframe: `?theme=` and `?density=` of its src, then the portal's theme messages.
panel.setLook(lookFromQuery(location.search));
listenForPortalTheme('/api', (themeMode) => panel.setLook({ themeMode }));
// The route is loaded before hydrating, as it was on the server: the first render finds its match ready.
// Not a top-level await: the route's lazy parts import this module's chunk, which must finish evaluating first.
void panel.load().then(() =>
  hydrateRoot(root, element, {
    // A mismatch makes React redraw the page on the client; say so, so that it is seen (and the e2e test counts it).
    onRecoverableError: (error, info) => console.error('recoverable', error, info.componentStack),
  }),
);
