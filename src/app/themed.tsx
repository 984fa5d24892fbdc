/** MUI's theme for everything after the first screen (loaded with the rest of the panel). */
import CssBaseline from '@mui/material/CssBaseline';
import { ThemeProvider } from '@mui/material/styles';
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
