/** MUI's theme for everything after the first screen (loaded with the rest of the panel). */
import CssBaseline from '@mui/material/CssBaseline';
// @mui/system's ThemeProvider is what @mui/material's own does for a theme without CSS variables
// (ours); importing it directly leaves MUI's CSS-variables provider out of the bundle (~5 kB gzip).
import { ThemeProvider } from '@mui/system';
import { useMemo, type ReactNode } from 'react';
import { usePanelLook } from './provider.tsx';
import { buildTheme } from './theme.ts';

/** `baseline`: also MUI's CssBaseline for the page (never when mounted in a portal). */
export function Themed({ children, baseline = false }: { children: ReactNode; baseline?: boolean }) {
  const { mode, theme: overrides, embedded } = usePanelLook();
  const theme = useMemo(() => buildTheme(mode, overrides), [mode, overrides]);
  return (
    <ThemeProvider theme={theme}>
      {baseline && !embedded ? <CssBaseline enableColorScheme /> : null}
      {children}
    </ThemeProvider>
  );
}
