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
import { AppProvider, type PanelSurface } from './provider.tsx';
import { createPanelRouter } from './router.tsx';

export interface Panel {
  element: ReactElement;
  router: ReturnType<typeof createPanelRouter>;
  /** Stops everything the panel started: cache subscriptions, in-flight requests, timers. */
  dispose: () => void;
}

export function createPanel(options: PanelOptions, history: RouterHistory, surface: PanelSurface): Panel {
  const queryClient = createQueryClient();
  const apiBase = options.apiBase ?? '/api';
  const api = createApiClient({ baseUrl: apiBase, getAccessToken: options.getAccessToken });
  const followed = createFollowedTasks();
  const router = createPanelRouter(history, { queryClient, api });
  const disconnect = connectPanelEvents(queryClient, options.onTaskFinished);
  const element = (
    <AppProvider
      queryClient={queryClient}
      config={{ apiBase, locale: options.locale, api }}
      followed={followed}
      look={{ themeMode: options.themeMode, theme: options.theme, ...surface }}
    >
      <RouterProvider router={router} />
    </AppProvider>
  );
  return {
    element,
    router,
    dispose() {
      disconnect();
      void queryClient.cancelQueries();
      queryClient.clear();
      history.destroy();
    },
  };
}

/** `?vm=&network=&task=` for a panel that starts from options instead of the page URL (mount()). */
export function initialSearch({ initialVm, initialNetwork, initialTask }: PanelOptions): string {
  const p = new URLSearchParams();
  if (initialVm) p.set('vm', initialVm);
  if (initialNetwork) p.set('network', initialNetwork);
  if (initialTask) p.set('task', initialTask);
  return p.size > 0 ? `/?${p.toString()}` : '/';
}
