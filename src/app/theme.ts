/**
 * The panel's look: calm, neutral surfaces, one accent colour, AA contrast in light and dark.
 * A host portal may pass its own ThemeOptions (brand colours): they are merged over ours, and
 * MUI's contrastThreshold of 4.5 makes every palette colour's `contrastText` readable (WCAG AA).
 * A brand `primary` that is too light (in light mode) or too dark (in dark mode) to be read as
 * text or links on the page background is nudged until it is.
 */
import { createTheme, type PaletteOptions, type ThemeOptions } from '@mui/material/styles';

import { readableOn, type ThemeMode } from './contrast.ts';
import { DEFAULT_PRIMARY, STATUS, SURFACES } from './palette.ts';

// The colour arithmetic lives in contrast.ts, so the first screen can use it without MUI.
export { contrastRatio, readableOn, type ThemeMode } from './contrast.ts';


export function buildTheme(mode: ThemeMode, overrides: ThemeOptions = {}) {
  const s = SURFACES[mode];
  const hostPalette: PaletteOptions = overrides.palette ?? {};
  const hostPrimary = hostPalette.primary && 'main' in hostPalette.primary ? hostPalette.primary.main : undefined;
  const background = hostPalette.background?.default ?? s.default;
  const paper = hostPalette.background?.paper ?? s.paper;
  // The primary colour is also used as text (links, text buttons): keep it readable on both surfaces.
  const primaryMain = readableOn(readableOn(hostPrimary ?? DEFAULT_PRIMARY[mode], paper, mode), background, mode);

  return createTheme({
    ...overrides,
    palette: {
      mode,
      contrastThreshold: 4.5,
      background: { default: s.default, paper: s.paper },
      text: { primary: s.text, secondary: s.secondary },
      divider: s.divider,
      info: { main: STATUS[mode].info },
      success: { main: STATUS[mode].success },
      warning: { main: STATUS[mode].warning },
      error: { main: STATUS[mode].error },
      ...hostPalette,
      primary: { ...(typeof hostPalette.primary === 'object' ? hostPalette.primary : {}), main: primaryMain },
    },
    shape: { borderRadius: 8, ...overrides.shape },
    typography: {
      fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
      button: { textTransform: 'none', fontWeight: 600 },
      ...overrides.typography,
    },
    components: {
      // A disabled field's helper text still says why it is disabled: keep it readable.
      MuiFormHelperText: { styleOverrides: { root: { '&.Mui-disabled': { color: s.secondary } } } },
      MuiCard: { styleOverrides: { root: { backgroundImage: 'none' } } },
      MuiPaper: { styleOverrides: { root: { backgroundImage: 'none' } } },
      MuiCssBaseline: {
        styleOverrides: {
          // A focus ring that is visible on every surface, for keyboard users only.
          '*:focus-visible': { outline: `3px solid ${primaryMain}`, outlineOffset: 2 },
        },
      },
      ...overrides.components,
    },
  });
}
