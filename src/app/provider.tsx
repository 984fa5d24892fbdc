/** The shell's providers: error boundary, react-query, runtime config, the followed tasks and the one MUI theme. */
import CssBaseline from '@mui/material/CssBaseline';
import GlobalStyles from '@mui/material/GlobalStyles';
import ScopedCssBaseline from '@mui/material/ScopedCssBaseline';
import { ThemeProvider } from '@mui/material/styles';
import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { Component, useMemo, type ReactNode } from 'react';
import { FollowedTasksProvider, type FollowedTasksStore } from '../features/tasks/followed.ts';
import { PanelConfigProvider, type PanelConfig, type PanelOptions } from '../lib/panel-config.tsx';
import { createPanelTheme, type PanelTheme } from './theme.ts';

/** Where the panel is drawn: the page, or mount()'s shadow root (CSS variables on `:host`, no reset of the host page). */
export interface PanelSurface {
  embedded: boolean;
  /** The host page's root font size in px (mount() reads it), so the panel keeps its size. */
  htmlFontSize?: number | undefined;
}

export interface AppProviderProps {
  queryClient: QueryClient;
  config: PanelConfig;
  followed: FollowedTasksStore;
  look: Pick<PanelOptions, 'themeMode' | 'theme'> & PanelSurface;
  children: ReactNode;
}

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

/**
 * Inside mount()'s shadow root the host's rules cannot match the panel's elements, but inherited
 * properties (font, letter-spacing, text-transform, line-height) still cross the boundary: the
 * panel's two top nodes start from initial values, and the portal node takes the theme's type.
 */
const shadowReset = (theme: PanelTheme) => ({
  '.katapult-panel, .katapult-panel-portals': { all: 'initial' as const, display: 'block' },
  '.katapult-panel-portals': { ...theme.typography.body1, color: (theme.vars ?? theme).palette.text.primary },
});

export function AppProvider({ queryClient, config, followed, look, children }: AppProviderProps) {
  const { themeMode = 'system', theme: overrides, embedded, htmlFontSize } = look;
  const theme = useMemo(
    () => createPanelTheme({ mode: themeMode, overrides, rootSelector: embedded ? ':host' : ':root', htmlFontSize, fixedPx: embedded }),
    [themeMode, overrides, embedded, htmlFontSize],
  );
  return (
    <ErrorBoundary>
      <QueryClientProvider client={queryClient}>
        <PanelConfigProvider config={config}>
          <FollowedTasksProvider value={followed}>
            {/* The colour scheme follows a media query (see theme.ts): nothing to remember in storage. */}
            <ThemeProvider theme={theme} storageManager={null}>
              {embedded ? (
                <>
                  <GlobalStyles styles={shadowReset} />
                  <ScopedCssBaseline enableColorScheme>{children}</ScopedCssBaseline>
                </>
              ) : (
                <>
                  <CssBaseline enableColorScheme />
                  {children}
                </>
              )}
            </ThemeProvider>
          </FollowedTasksProvider>
        </PanelConfigProvider>
      </QueryClientProvider>
    </ErrorBoundary>
  );
}
