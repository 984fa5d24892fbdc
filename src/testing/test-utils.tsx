import { render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactElement } from 'react';
import { AppProvider, type ProviderOptions } from '../app/provider.tsx';
import { createQueryClient } from '../lib/query-client.ts';
import { getDb } from '../../mock/db.ts';

/** Renders inside the real providers with a fresh QueryClient (no retries) and the mock API. */
export function renderWithProviders(ui: ReactElement, options: ProviderOptions = {}) {
  const queryClient = createQueryClient();
  queryClient.setDefaultOptions({
    queries: { ...queryClient.getDefaultOptions().queries, retry: false },
  });
  const user = userEvent.setup();
  const result = render(
    <AppProvider options={{ apiBase: 'http://panel.test/api', syncUrl: false, queryClient, ...options }}>
      {ui}
    </AppProvider>,
  );
  return { ...result, user, queryClient };
}

/** The default mock session: requests made, faults, config. */
export const mockDb = () => getDb();
export const requestsTo = (endpoint: string, method = 'GET') =>
  getDb().log.filter((r) => r.endpoint === endpoint && r.method === method);
