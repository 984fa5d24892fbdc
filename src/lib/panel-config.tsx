/** Runtime configuration of one panel instance (a page, or one mount() in a portal). */
import type { ThemeOptions } from '@mui/material/styles';
import { createContext, useContext, type ReactNode } from 'react';
import type { ApiClient } from '../api/client.ts';
import type { Task } from '../api/types.ts';

/** How the panel is started: the page (src/main.tsx) and mount() take the same options. */
export interface PanelOptions {
  /** Base path (or URL) of the panel server's Katapult proxy, as the host page reaches it. Default `/api`. */
  apiBase?: string | undefined;
  /** Look up this VM (id `vm_…`, FQDN or IP address) on `initialNetwork` as soon as the panel shows. */
  initialVm?: string | undefined;
  /** Network id (`netw_…`/`net_…`) or permalink (`public`). */
  initialNetwork?: string | undefined;
  /** Resume following this task (with `initialVm` and `initialNetwork`). */
  initialTask?: string | undefined;
  /** `light`, `dark` or `system` (default: the user's system preference). */
  themeMode?: 'light' | 'dark' | 'system' | undefined;
  /** MUI ThemeOptions merged over the panel's own theme (brand colours, shape, typography). */
  theme?: ThemeOptions | undefined;
  /** BCP 47 tag for dates and numbers, e.g. `en-GB`. Default: the browser's. */
  locale?: string | undefined;
  /** Called once when a followed task ends (`completed` or `failed`). */
  onTaskFinished?: ((task: Task) => void) | undefined;
  /**
   * Per-user token mode (server `AUTH_MODE=per-user`): called before every request; the token is
   * sent as `Authorization: Bearer …` to the panel's server and kept nowhere else.
   */
  getAccessToken?: (() => string | Promise<string>) | undefined;
  /** Keep `?vm=&network=&task=` in the page URL. Default true on the page, false when mounted. */
  syncUrl?: boolean | undefined;
  /** Put the focus in the "Virtual machine" field when the panel shows without a lookup. Default true on the page, false when mounted. */
  autoFocus?: boolean | undefined;
  /** `compact`: the header on one line and tighter spacing, for a short pane. Default: compact below 700 px of viewport height. */
  density?: 'compact' | 'comfortable' | undefined;
}

/** What the panel's parts read at run time. */
export interface PanelConfig extends Required<Pick<PanelOptions, 'apiBase'>>, Pick<PanelOptions, 'locale' | 'autoFocus' | 'density'> {
  api: ApiClient;
}

const PanelConfigContext = createContext<PanelConfig | null>(null);

export function PanelConfigProvider({ config, children }: { config: PanelConfig; children: ReactNode }) {
  return <PanelConfigContext.Provider value={config}>{children}</PanelConfigContext.Provider>;
}

export function usePanelConfig(): PanelConfig {
  const c = useContext(PanelConfigContext);
  if (!c) throw new Error('usePanelConfig outside PanelConfigProvider');
  return c;
}

export const useApi = () => usePanelConfig().api;
