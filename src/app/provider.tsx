/**
 * The shell's providers: error boundary, react-query, runtime config, and the panel's look as plain
 * CSS (src/app/shell.css: a stylesheet of the page in the SPA, a <style> element given as `css` when
 * mounted in a shadow root). No MUI here: the first screen paints without it; MUI's ThemeProvider
 * comes with the rest of the panel (themed.tsx).
 */
import type { ThemeOptions } from '@mui/material/styles';
import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { Component, createContext, useContext, useState, useSyncExternalStore, type CSSProperties, type ReactNode } from 'react';
import { createQueryClient } from '../lib/query-client.ts';
import { PanelConfigProvider, type PanelOptions } from '../lib/panel-config.tsx';
import { contrastRatio, readableOn, type ThemeMode } from './contrast.ts';
import { SURFACES } from './palette.ts';

export interface ProviderOptions extends PanelOptions {
  themeMode?: ThemeMode | 'system';
  theme?: ThemeOptions;
  queryClient?: QueryClient;
  /** Mounted in a portal: no global CSS reset of the host page. */
  embedded?: boolean;
  /** The panel's CSS as text, rendered as a <style> element (mount(): the shadow root has no page stylesheet). */
  css?: string;
}

export interface PanelLook {
  mode: ThemeMode;
  /** The host's ThemeOptions, if any (merged over the panel's theme). */
  theme: ThemeOptions | undefined;
  embedded: boolean;
}

const LookContext = createContext<PanelLook>({ mode: 'light', theme: undefined, embedded: false });
export const usePanelLook = () => useContext(LookContext);

class ErrorBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  override state = { error: null as Error | null };
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  override render() {
    if (this.state.error) {
      return (
        <div role="alert" style={{ padding: 16 }}>
          <strong>The panel hit an unexpected problem.</strong> Reload the page; nothing was changed.
          <pre style={{ whiteSpace: 'pre-wrap' }}>{this.state.error.message}</pre>
        </div>
      );
    }
    return this.props.children;
  }
}

const DARK_QUERY = '(prefers-color-scheme: dark)';
const darkQuery = () => (typeof window !== 'undefined' && typeof window.matchMedia === 'function' ? window.matchMedia(DARK_QUERY) : undefined);
const subscribeDark = (onChange: () => void) => {
  const q = darkQuery();
  q?.addEventListener('change', onChange);
  return () => q?.removeEventListener('change', onChange);
};
const prefersDarkNow = () => darkQuery()?.matches ?? false;

/** A brand primary colour for the plain CSS, readable the same way theme.ts makes it for MUI. */
function brandVars(theme: ThemeOptions | undefined): CSSProperties | undefined {
  const primary = theme?.palette?.primary;
  const main = primary && 'main' in primary ? primary.main : undefined;
  if (!main) return undefined;
  const vars: Record<string, string> = {};
  for (const mode of ['light', 'dark'] as const) {
    const s = SURFACES[mode];
    const c = readableOn(readableOn(main, theme?.palette?.background?.paper ?? s.paper, mode), theme?.palette?.background?.default ?? s.default, mode);
    vars[`--kp-brand-${mode}`] = c;
    vars[`--kp-brand-${mode}-on`] = contrastRatio(c, '#ffffff') >= 4.5 ? '#fff' : 'rgba(0, 0, 0, 0.87)';
  }
  return vars as CSSProperties;
}

export function AppProvider({ options, children }: { options: ProviderOptions; children: ReactNode }) {
  const prefersDark = useSyncExternalStore(subscribeDark, prefersDarkNow, () => false);
  const forced = options.themeMode === 'light' || options.themeMode === 'dark' ? options.themeMode : undefined;
  const mode: ThemeMode = forced ?? (prefersDark ? 'dark' : 'light');
  const [queryClient] = useState(() => options.queryClient ?? createQueryClient());
  const look: PanelLook = { mode, theme: options.theme, embedded: options.embedded ?? false };
  return (
    <ErrorBoundary>
      <QueryClientProvider client={queryClient}>
        <LookContext.Provider value={look}>
          <PanelConfigProvider options={options}>
            {options.css ? <style>{options.css}</style> : null}
            <div className={`kp-shell${forced ? ` kp-${forced}` : ''}`} style={brandVars(options.theme)}>
              {children}
            </div>
          </PanelConfigProvider>
        </LookContext.Provider>
      </QueryClientProvider>
    </ErrorBoundary>
  );
}
