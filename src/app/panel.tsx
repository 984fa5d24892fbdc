/**
 * One panel instance: its QueryClient, API client, followed tasks, router and cache events, and the
 * element that draws it. The page (src/main.tsx) and mount() both start the panel through here.
 */
import { RouterProvider, type RouterHistory } from '@tanstack/react-router';
import type { ReactElement } from 'react';
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
  /** Loads the route (the router's own `load()`), so that a first render can start from a loaded match. */
  load: () => Promise<void>;
  /** Stops everything the panel started: cache subscriptions, in-flight requests, timers. */
  dispose: () => void;
  /** Changes the colour scheme or density while the panel runs (the portal's theme switch). */
  setLook: LookStore['set'];
}

export function createPanel(options: PanelOptions, history: RouterHistory, surface: PanelSurface): Panel {
  const queryClient = createQueryClient();
  const apiBase = options.apiBase ?? '/api';
  const api = createApiClient({ baseUrl: apiBase, getAccessToken: options.getAccessToken });
  const followed = createFollowedTasks();
  const router = createPanelRouter(history, { queryClient, api });
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
          <RouterProvider router={router} />
        </AppProvider>
      )}
    </LiveLook>
  );
  return {
    element,
    router,
    load: () => router.load(),
    setLook: lookStore.set,
    dispose() {
      disconnect();
      void queryClient.cancelQueries();
      queryClient.clear();
      history.destroy();
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
