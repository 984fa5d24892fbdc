import { render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createMemoryHistory, createRootRouteWithContext, createRouter, RouterProvider } from '@tanstack/react-router';
import type { ReactElement } from 'react';
import { createApiClient } from '../api/client.ts';
import { createPanel } from '../app/panel.tsx';
import { AppProvider } from '../app/provider.tsx';
import { panelSearchSchema, parseSearch, stringifySearch, type PanelRouterContext } from '../app/router.tsx';
import { createFollowedTasks } from '../features/tasks/followed.ts';
import type { PanelOptions } from '../lib/panel-config.tsx';
import { createQueryClient } from '../lib/query-client.ts';
import { getDb } from '../../mock/db.ts';

const API_BASE = 'http://panel.test/api';

/** A fresh QueryClient with the panel's defaults, less retries (a test's error is final at once). */
function testQueryClient() {
  const queryClient = createQueryClient();
  queryClient.setDefaultOptions({ queries: { ...queryClient.getDefaultOptions().queries, retry: false } });
  return queryClient;
}

/**
 * Renders a feature's component inside the real providers and a router (features link with it),
 * with a fresh QueryClient (no retries) and the mock API. `url` is where the router starts.
 */
export async function renderWithProviders(ui: ReactElement, { url = '/', ...options }: PanelOptions & { url?: string } = {}) {
  const queryClient = testQueryClient();
  const api = createApiClient({ baseUrl: API_BASE, getAccessToken: options.getAccessToken });
  const route = createRootRouteWithContext<PanelRouterContext>()({ validateSearch: panelSearchSchema, component: () => ui });
  const router = createRouter({ routeTree: route, history: createMemoryHistory({ initialEntries: [url] }), context: { queryClient, api }, parseSearch, stringifySearch });
  // The router resolves its first location before it draws anything: render what the user first sees.
  await router.load();
  const user = userEvent.setup();
  const result = render(
    <AppProvider queryClient={queryClient} config={{ apiBase: API_BASE, locale: options.locale, api }} followed={createFollowedTasks()} look={{ embedded: false }}>
      <RouterProvider router={router} />
    </AppProvider>,
  );
  return { ...result, user, queryClient, router };
}

/** Renders the whole panel (its route, loader and cache events) on a memory history starting at `url`. */
export async function renderPanel({ url = '/', ...options }: PanelOptions & { url?: string } = {}) {
  const history = createMemoryHistory({ initialEntries: [url] });
  const panel = createPanel({ apiBase: API_BASE, ...options }, history, { embedded: false });
  await panel.router.load();
  const user = userEvent.setup();
  const result = render(panel.element);
  return { ...result, user, history, dispose: panel.dispose };
}

/** The default mock session: requests made, faults, config. */
export const mockDb = () => getDb();
export const requestsTo = (endpoint: string, method = 'GET') =>
  getDb().log.filter((r) => r.endpoint === endpoint && r.method === method);
