/**
 * One panel instance: its QueryClient, API client, followed tasks, router and cache events, and the
 * element that draws it. The page (src/main.tsx) and mount() both start the panel through here.
 */
import { createMemoryHistory, RouterProvider, type RouterHistory } from '@tanstack/react-router';
import { useSyncExternalStore, type ReactElement, type ReactNode } from 'react';
import { createApiClient } from '../api/client.ts';
import { createFollowedTasks } from '../features/tasks/followed.ts';
import type { PanelOptions } from '../lib/panel-config.tsx';
import { createQueryClient } from '../lib/query-client.ts';
import { connectPanelEvents } from './panel-events.ts';
import { createLookStore, LiveLook, type Look, type LookStore } from './look.tsx';
import { AppProvider, type PanelSurface } from './provider.tsx';
import { createPanelRouter, stringifySearch } from './router.tsx';
import { lookupParams, readLookupParams } from '../features/interface-lookup/lookup-schema.ts';

export interface Panel {
  element: ReactElement;
  router: ReturnType<typeof createPanelRouter>;
  /** Loads the route (and, when hydrating a deep link, the prerendered URL's route) before the first render. */
  load: () => Promise<void>;
  /** Stops everything the panel started: cache subscriptions, in-flight requests, timers. */
  dispose: () => void;
  /** Changes the colour scheme or density while the panel runs (the portal's theme switch). */
  setLook: LookStore['set'];
}

/** The page's HTML was prerendered (src/entry-prerender.tsx) for this URL, and the client hydrates it. */
export interface PanelPrerender {
  url: string;
}

const noSubscribe = () => () => {};

/**
 * React's two-pass hydration: the hydration render draws what the server drew (`first`), then
 * React renders again with the client's value (`children`). Both are a RouterProvider, so the
 * second pass updates the same elements in place instead of remounting them.
 */
function AfterHydration({ first, children }: { first: ReactNode; children: ReactNode }) {
  const hydrated = useSyncExternalStore(noSubscribe, () => true, () => false);
  return hydrated ? children : first;
}

export function createPanel(options: PanelOptions, history: RouterHistory, surface: PanelSurface, prerender?: PanelPrerender): Panel {
  const queryClient = createQueryClient();
  const apiBase = options.apiBase ?? '/api';
  const api = createApiClient({ baseUrl: apiBase, getAccessToken: options.getAccessToken });
  const followed = createFollowedTasks();
  const router = createPanelRouter(history, { queryClient, api });
  // The HTML is the prerendered URL's (`/`), whatever the page's URL: a deep link hydrates that
  // URL's screen from a router of its own, then shows its own state.
  const first = prerender && history.location.href !== prerender.url
    ? createPanelRouter(createMemoryHistory({ initialEntries: [prerender.url] }), { queryClient, api })
    : router;
  // What TanStack Router's own hydration sets: the client then renders the match tree without the
  // Suspense boundary a client-only render adds, as the server rendered it.
  if (prerender) for (const r of new Set([router, first])) r.ssr = { manifest: undefined };
  const disconnect = connectPanelEvents(queryClient, options.onTaskFinished);
  const started: Look = { themeMode: options.themeMode, density: options.density };
  const lookStore = createLookStore(started);
  const element = (
    <LiveLook store={lookStore} server={started}>
      {(look) => (
        <AppProvider
          queryClient={queryClient}
          config={{ apiBase, locale: options.locale, api, autoFocus: options.autoFocus ?? !surface.embedded, density: look.density }}
          followed={followed}
          look={{ themeMode: look.themeMode, theme: options.theme, ...surface }}
        >
          {prerender ? (
            <AfterHydration first={<RouterProvider router={first} />}>
              <RouterProvider router={router} />
            </AfterHydration>
          ) : (
            <RouterProvider router={router} />
          )}
        </AppProvider>
      )}
    </LiveLook>
  );
  return {
    element,
    router,
    async load() {
      await Promise.all([...new Set([router, first])].map((r) => r.load()));
    },
    setLook: lookStore.set,
    dispose() {
      disconnect();
      void queryClient.cancelQueries();
      queryClient.clear();
      history.destroy();
      if (first !== router) first.history.destroy();
    },
  };
}

/**
 * The first URL of a panel that starts from options instead of the page URL (mount()): the options
 * go through the lookup's codec like a link (an IP address as `initialVm` becomes `?ip=`); values
 * that make no valid lookup stay as given, so the form says why.
 */
export function initialSearch({ initialVm, initialNetwork, initialTask }: PanelOptions): string {
  const { lookup } = readLookupParams({ vm: initialVm, network: initialNetwork });
  const params = lookup ? lookupParams(lookup) : { vm: initialVm, network: initialNetwork };
  return `/${stringifySearch({ ...params, task: initialTask })}`;
}
