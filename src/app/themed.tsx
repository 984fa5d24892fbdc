/** MUI's theme for everything after the first screen (loaded with the rest of the panel). */
import CssBaseline from '@mui/material/CssBaseline';
import type { Theme, ThemeOptions } from '@mui/material/styles';
// @mui/system's ThemeProvider is what @mui/material's own does for a theme without CSS variables
// (ours); importing it directly leaves MUI's CSS-variables provider out of the bundle (~5 kB gzip).
import { ThemeProvider } from '@mui/system';
import { memo, type ReactNode } from 'react';
import { usePanelLook } from './provider.tsx';
import { buildTheme, type ThemeMode } from './theme.ts';

/**
 * One theme per mode and host theme, shared by every <Themed> of a panel (the result and the rest
 * of the panel are separate lazy parts, each wrapped in one).
 */
const themes = new WeakMap<ThemeOptions, Partial<Record<ThemeMode, Theme>>>();
const NO_OVERRIDES: ThemeOptions = {};
function themeFor(mode: ThemeMode, overrides: ThemeOptions = NO_OVERRIDES): Theme {
  let byMode = themes.get(overrides);
  if (!byMode) themes.set(overrides, (byMode = {}));
  return (byMode[mode] ??= buildTheme(mode, overrides));
}

/**
 * MUI's CssBaseline, drawn again only when the theme changes: as a plain child it was rendered with
 * every render of the result, and emotion serialized and hashed its whole global stylesheet each
 * time to find it unchanged.
 */
const Baseline = memo(function Baseline() {
  return <CssBaseline enableColorScheme />;
});

/** `baseline`: also MUI's CssBaseline for the page (never when mounted in a portal). */
export function Themed({ children, baseline = false }: { children: ReactNode; baseline?: boolean }) {
  const { mode, theme: overrides, embedded } = usePanelLook();
  return (
    <ThemeProvider theme={themeFor(mode, overrides)}>
      {baseline && !embedded ? <Baseline /> : null}
      {children}
    </ThemeProvider>
  );
}
