/**
 * The panel's one theme: every colour, spacing and type size comes from here, as MUI CSS variables.
 * Calm neutral surfaces, one accent colour, AA contrast in light and dark. A host portal may pass
 * its own ThemeOptions (brand colours): they are merged over ours, and a brand primary too light
 * (light scheme) or too dark (dark scheme) to be read as text on the surfaces is nudged until it is.
 */
// Types theme.vars and theme.colorSchemes (the theme uses CSS variables).
import type {} from '@mui/material/themeCssVarsAugmentation';
import { createTheme, darken, getContrastRatio, lighten, type PaletteOptions, type ThemeOptions } from '@mui/material/styles';

export type ThemeMode = 'light' | 'dark';
export type ThemeModeOption = ThemeMode | 'system';

const SCHEMES = {
  light: {
    primary: '#1f5fbf',
    background: { default: '#f4f5f7', paper: '#ffffff' },
    text: { primary: '#1b1f24', secondary: '#545d68' },
    divider: 'rgba(27, 31, 36, 0.12)',
    // Status colours that read at 4.5:1 as text (outlined chips, alerts' icons) on both surfaces.
    info: '#0266a3',
    success: '#2e7d32',
    warning: '#a65100',
    error: '#c62828',
  },
  dark: {
    primary: '#8ab4f8',
    background: { default: '#111418', paper: '#1a1e24' },
    text: { primary: '#e6e8eb', secondary: '#a9b1bb' },
    divider: 'rgba(230, 232, 235, 0.14)',
    info: '#4fc3f7',
    success: '#66bb6a',
    warning: '#ffa726',
    error: '#f4736b',
  },
} as const;

/** `colour` mixed towards black (light) or white (dark) until it reads at 4.5:1 on every background given. */
export function readableOn(colour: string, backgrounds: string[], mode: ThemeMode): string {
  const readable = (c: string) => backgrounds.every((b) => getContrastRatio(c, b) >= 4.5);
  for (let step = 0; step <= 20; step++) {
    const c = step === 0 ? colour : mode === 'light' ? darken(colour, step * 0.05) : lighten(colour, step * 0.05);
    if (readable(c)) return c;
  }
  return mode === 'light' ? '#000000' : '#ffffff';
}

function schemePalette(mode: ThemeMode, host: PaletteOptions): PaletteOptions {
  const s = SCHEMES[mode];
  const background = { ...s.background, ...host.background };
  const hostPrimary = host.primary && 'main' in host.primary ? host.primary.main : undefined;
  return {
    contrastThreshold: 4.5,
    text: { ...s.text },
    divider: s.divider,
    info: { main: s.info },
    success: { main: s.success },
    warning: { main: s.warning },
    error: { main: s.error },
    ...host,
    background,
    // The primary colour is also text (links, text buttons): keep it readable on both surfaces.
    primary: {
      ...(typeof host.primary === 'object' ? host.primary : {}),
      main: readableOn(hostPrimary ?? s.primary, [background.default, background.paper], mode),
    },
  };
}

export interface PanelThemeOptions {
  /** `system` follows the user's preference (both schemes, switched by a media query). */
  mode: ThemeModeOption;
  /** The host's ThemeOptions (brand colours, shape, typography), merged over ours. */
  overrides?: ThemeOptions | undefined;
  /** Where the CSS variables are declared: `:root` on the page, `:host` in mount()'s shadow root. */
  rootSelector?: string;
  /** The host page's root font size in px, so rem-based sizes come out as designed. */
  htmlFontSize?: number;
  /**
   * Sizes in px, not rem (mount()): the host's root font size, whatever it is and whenever it
   * changes, does not reach the panel's type.
   */
  fixedPx?: boolean;
}

export function createPanelTheme({ mode, overrides = {}, rootSelector = ':root', htmlFontSize = 16, fixedPx = false }: PanelThemeOptions) {
  // The host's palette goes into each colour scheme (below), not on top of them.
  const { palette: host = {}, ...rest } = overrides;
  const schemes = mode === 'system' ? (['light', 'dark'] as const) : ([mode] as const);
  const hostTypography = typeof overrides.typography === 'object' ? overrides.typography : {};
  const rem = (px: number) => (fixedPx ? `${px}px` : `${px / htmlFontSize}rem`);
  return createTheme({
    ...rest,
    cssVariables: { colorSchemeSelector: 'media', rootSelector, cssVarPrefix: 'kp' },
    colorSchemes: Object.fromEntries(schemes.map((m) => [m, { palette: schemePalette(m, host) }])),
    defaultColorScheme: mode === 'system' ? 'light' : mode,
    shape: { borderRadius: 6, ...overrides.shape },
    typography: {
      htmlFontSize,
      // MUI sizes every type style and component through pxToRem: in px, they ignore the host's rem.
      ...(fixedPx ? { pxToRem: (px: number) => `${px}px` } : {}),
      fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
      h1: { fontSize: rem(22), fontWeight: 600, lineHeight: 1.3 },
      h2: { fontSize: rem(17), fontWeight: 600, lineHeight: 1.4 },
      h3: { fontSize: rem(15), fontWeight: 600, lineHeight: 1.4 },
      overline: { fontWeight: 600, letterSpacing: '0.06em' },
      button: { textTransform: 'none', fontWeight: 600 },
      ...hostTypography,
    },
    components: {
      MuiButton: { defaultProps: { disableElevation: true } },
      // The ripple alone is too faint a keyboard focus indicator (WCAG 2.4.7): a ring for :focus-visible only.
      MuiButtonBase: {
        styleOverrides: {
          root: ({ theme }) => ({
            '&.Mui-focusVisible': { outline: `2px solid ${theme.vars.palette.primary.main}`, outlineOffset: 2 },
          }),
        },
      },
      // A disabled field's helper text says why it is disabled ("A change is running…"): it must stay readable,
      // and MuiFormHelperText's disabled grey is below the 4.5:1 contrast on a light surface.
      MuiFormHelperText: {
        styleOverrides: {
          root: ({ theme }) => ({ '&.Mui-disabled': { color: theme.vars.palette.text.secondary } }),
        },
      },
      MuiPaper: { defaultProps: { variant: 'outlined' } },
      MuiTextField: { defaultProps: { size: 'small' } },
      MuiAutocomplete: { defaultProps: { size: 'small' } },
      MuiAlert: { defaultProps: { variant: 'outlined' } },
      MuiTooltip: { defaultProps: { arrow: true } },
      ...overrides.components,
    },
  });
}

export type PanelTheme = ReturnType<typeof createPanelTheme>;
