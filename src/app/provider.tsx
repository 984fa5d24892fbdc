import CssBaseline from '@mui/material/CssBaseline';
import { ThemeProvider, type ThemeOptions } from '@mui/material/styles';
import useMediaQuery from '@mui/material/useMediaQuery';
import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { Component, useMemo, useState, type ReactNode } from 'react';
import { createQueryClient } from '../lib/query-client.ts';
import { PanelConfigProvider, type PanelOptions } from '../lib/panel-config.tsx';
import { buildTheme, type ThemeMode } from './theme.ts';

export interface ProviderOptions extends PanelOptions {
  themeMode?: ThemeMode | 'system';
  theme?: ThemeOptions;
  queryClient?: QueryClient;
  /** Mounted in a portal: no global CSS reset of the host page. */
  embedded?: boolean;
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

export function AppProvider({ options, children }: { options: ProviderOptions; children: ReactNode }) {
  const prefersDark = useMediaQuery('(prefers-color-scheme: dark)', { noSsr: true });
  const mode: ThemeMode =
    options.themeMode === 'light' || options.themeMode === 'dark' ? options.themeMode : prefersDark ? 'dark' : 'light';
  const theme = useMemo(() => buildTheme(mode, options.theme), [mode, options.theme]);
  const [queryClient] = useState(() => options.queryClient ?? createQueryClient());
  return (
    <ErrorBoundary>
      <QueryClientProvider client={queryClient}>
        <ThemeProvider theme={theme}>
          {options.embedded ? null : <CssBaseline enableColorScheme />}
          <PanelConfigProvider options={options}>{children}</PanelConfigProvider>
        </ThemeProvider>
      </QueryClientProvider>
    </ErrorBoundary>
  );
}
