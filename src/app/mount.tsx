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
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { Task } from '../api/types.ts';
import { createQueryClient } from '../lib/query-client.ts';
import { App } from './app.tsx';
import { AppProvider } from './provider.tsx';
import type { ThemeModeOption } from './theme.ts';

export interface MountOptions {
  /** Base path (or URL) of the panel server's Katapult proxy, as the host page reaches it. Default `/api`. */
  apiBase?: string;
  /** Look up this VM (id `vm_…` or FQDN) on `initialNetwork` as soon as the panel shows. */
  initialVm?: string;
  /** Network id (`netw_…`/`net_…`) or permalink (`public`). */
  initialNetwork?: string;
  /** Resume following this task (with `initialVm` and `initialNetwork`). */
  initialTask?: string;
  /** `light`, `dark` or `system` (default: the user's system preference). */
  themeMode?: ThemeModeOption;
  /** MUI ThemeOptions merged over the panel's own theme (brand colours, shape, typography). */
  theme?: ThemeOptions;
  /** BCP 47 tag for dates and numbers, e.g. `en-GB`. Default: the browser's. */
  locale?: string;
  /** Called once when a followed task ends (`completed` or `failed`). */
  onTaskFinished?: (task: Task) => void;
  /**
   * Per-user token mode (server `AUTH_MODE=per-user`): called before every request; the token is
   * sent as `Authorization: Bearer …` to the panel's server and kept nowhere else.
   */
  getAccessToken?: () => string | Promise<string>;
  /** Keep `?vm=&network=&task=` in the host page's URL. Default false: the host's URL is not touched. */
  syncUrl?: boolean;
}

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
  const queryClient = createQueryClient();
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

  const root = createRoot(rootNode, { identifierPrefix: `kp${Math.random().toString(36).slice(2, 8)}-` });
  root.render(
    <StrictMode>
      <CacheProvider value={cache}>
        <AppProvider
          options={{
            apiBase: options.apiBase ?? '/api',
            syncUrl: options.syncUrl ?? false,
            initialVm: options.initialVm,
            initialNetwork: options.initialNetwork,
            initialTask: options.initialTask,
            onTaskFinished: options.onTaskFinished,
            getAccessToken: options.getAccessToken,
            locale: options.locale,
            themeMode: options.themeMode,
            theme,
            queryClient,
            embedded: true,
            // rem units follow the host's root font size: the theme converts with it, so sizes stay as designed.
            htmlFontSize: parseFloat(getComputedStyle(document.documentElement).fontSize) || 16,
          }}
        >
          <App />
        </AppProvider>
      </CacheProvider>
    </StrictMode>,
  );

  let done = false;
  return () => {
    if (done) return;
    done = true;
    // Observers unsubscribe (refetchInterval timers, media-query and popstate listeners go)…
    root.unmount();
    // …then in-flight requests are aborted and every query's garbage-collection timer is cleared.
    void queryClient.cancelQueries();
    queryClient.clear();
    cache.sheet.flush();
    // An empty shadow root would hide the element's own children: show them again.
    shadow.replaceChildren(document.createElement('slot'));
    mounted.delete(element);
  };
}
