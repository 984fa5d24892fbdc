/**
 * The panel as a widget inside a host page (the internal portal):
 *
 *   import { mount } from '/embed/katapult-panel.js';
 *   const unmount = mount(document.getElementById('panel'), { initialVm: 'vm_…', themeMode: 'dark' });
 *
 * Style isolation is a shadow root: the host's selectors (`button { … }`, `* { font-family: … }`)
 * stop at its boundary, emotion inserts its styles into it (nothing is added to the host's <head>),
 * and MUI's portals (the profile list, the dialog) render into a node inside it.
 */
import createCache from '@emotion/cache';
import { CacheProvider } from '@emotion/react';
import type { ThemeOptions } from '@mui/material/styles';
import { createBrowserHistory, createMemoryHistory } from '@tanstack/react-router';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { PanelOptions } from '../lib/panel-config.tsx';
import { createPanel, initialSearch } from './panel.tsx';

/** mount()'s options are the panel's (src/lib/panel-config.tsx); `syncUrl` defaults to false here. */
export type MountOptions = PanelOptions;

/** Unmounts the panel and stops everything it started. Safe to call more than once. */
export type Unmount = () => void;

const mounted = new WeakSet<Element>();

export function mount(element: HTMLElement, options: MountOptions = {}): Unmount {
  if (!(element instanceof HTMLElement)) throw new TypeError('mount(element): element must be an HTML element');
  if (mounted.has(element)) throw new Error('The Katapult panel is already mounted on this element: call its unmount() first.');
  mounted.add(element);

  // attachShadow cannot be undone: a second mount() on the same element reuses the shadow root.
  const shadow = element.shadowRoot ?? element.attachShadow({ mode: 'open' });
  const rootNode = document.createElement('div');
  rootNode.className = 'katapult-panel';
  const portalNode = document.createElement('div');
  portalNode.className = 'katapult-panel-portals';
  shadow.replaceChildren(rootNode, portalNode);

  const cache = createCache({ key: 'kp', container: shadow, prepend: true });
  const hostTheme = options.theme ?? {};
  const theme: ThemeOptions = {
    ...hostTheme,
    components: {
      MuiPopover: { defaultProps: { container: portalNode } },
      MuiPopper: { defaultProps: { container: portalNode } },
      MuiModal: { defaultProps: { container: portalNode } },
      ...hostTheme.components,
    },
  };

  // The host page's URL is the host's: the panel keeps its place in memory unless asked to sync it.
  const history = options.syncUrl ? createBrowserHistory() : createMemoryHistory({ initialEntries: [initialSearch(options)] });
  const panel = createPanel({ ...options, theme }, history, {
    embedded: true,
    // rem units follow the host's root font size: the theme converts with it, so sizes stay as designed.
    htmlFontSize: parseFloat(getComputedStyle(document.documentElement).fontSize) || 16,
  });
  const root = createRoot(rootNode, { identifierPrefix: `kp${Math.random().toString(36).slice(2, 8)}-` });
  root.render(
    <StrictMode>
      <CacheProvider value={cache}>{panel.element}</CacheProvider>
    </StrictMode>,
  );

  let done = false;
  return () => {
    if (done) return;
    done = true;
    // Observers unsubscribe (refetchInterval timers, media-query and history listeners go)…
    root.unmount();
    // …then in-flight requests are aborted and every query's garbage-collection timer is cleared.
    panel.dispose();
    cache.sheet.flush();
    // An empty shadow root would hide the element's own children: show them again.
    shadow.replaceChildren(document.createElement('slot'));
    mounted.delete(element);
  };
}
