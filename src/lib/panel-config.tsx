/** Runtime configuration of one panel instance (a page, or one mount() in a portal). */
import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { createApiClient, type ApiClient } from '../api/client.ts';
import type { Task } from '../api/types.ts';

export interface PanelOptions {
  /** Base path of the panel server's Katapult proxy. Default `/api`. */
  apiBase?: string;
  /** Keep `?vm=&network=&task=` in the page URL. Default true on the page, false when mounted. */
  syncUrl?: boolean;
  initialVm?: string;
  initialNetwork?: string;
  initialTask?: string;
  onTaskFinished?: (task: Task) => void;
  getAccessToken?: () => string | Promise<string>;
  locale?: string;
}

export interface PanelConfig {
  apiBase: string;
  syncUrl: boolean;
  initialVm: string | undefined;
  initialNetwork: string | undefined;
  initialTask: string | undefined;
  onTaskFinished: ((task: Task) => void) | undefined;
  locale: string | undefined;
  api: ApiClient;
}

const PanelConfigContext = createContext<PanelConfig | null>(null);

export function PanelConfigProvider({ options, children }: { options: PanelOptions; children: ReactNode }) {
  const { apiBase = '/api', syncUrl = true, getAccessToken } = options;
  const api = useMemo(() => createApiClient({ baseUrl: apiBase, getAccessToken }), [apiBase, getAccessToken]);
  const value: PanelConfig = {
    apiBase,
    syncUrl,
    initialVm: options.initialVm,
    initialNetwork: options.initialNetwork,
    initialTask: options.initialTask,
    onTaskFinished: options.onTaskFinished,
    locale: options.locale,
    api,
  };
  return <PanelConfigContext.Provider value={value}>{children}</PanelConfigContext.Provider>;
}

export function usePanelConfig(): PanelConfig {
  const c = useContext(PanelConfigContext);
  if (!c) throw new Error('usePanelConfig outside PanelConfigProvider');
  return c;
}

export const useApi = () => usePanelConfig().api;
