import createCache from '@emotion/cache';
import { createBrowserHistory } from '@tanstack/react-router';
import { createRoot } from 'react-dom/client';
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
// The prerendered screen is a paint before any script, not state to hydrate: it is one static `/` for
// every URL, and TanStack Router's hydration needs the render's own state inline in the page (see
// docs/architecture.md, "The first screen"). React renders the page once, as an SPA, and its first
// commit replaces the prerendered nodes. The route is loaded first, so that commit draws the loaded
// match (not the router's empty pending state) and the screen never blanks.
// Not a top-level await: the route's lazy parts import this module's chunk, which must finish evaluating first.
void panel.load().then(() =>
  createRoot(root, {
    // An error React recovered from by rendering again: say so, so that it is seen (and the e2e tests count it).
    onRecoverableError: (error, info) => console.error('recoverable', error, info.componentStack),
  }).render(element),
);
