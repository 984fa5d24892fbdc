/**
 * The panel's look: calm, neutral surfaces, one accent colour, AA contrast in light and dark.
 * A host portal may pass its own ThemeOptions (brand colours): they are merged over ours, and
 * MUI's contrastThreshold of 4.5 makes every palette colour's `contrastText` readable (WCAG AA).
 * A brand `primary` that is too light (in light mode) or too dark (in dark mode) to be read as
 * text or links on the page background is nudged until it is.
 */
import { createTheme, type PaletteOptions, type ThemeOptions } from '@mui/material/styles';

export type ThemeMode = 'light' | 'dark';

type Rgb = [number, number, number];

function parseColour(colour: string): Rgb | undefined {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(colour.trim());
  if (hex?.[1]) {
    const h = hex[1].length === 3 ? [...hex[1]].map((c) => c + c).join('') : hex[1];
    return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16)) as Rgb;
  }
  const rgb = /^rgba?\(\s*(\d+)[\s,]+(\d+)[\s,]+(\d+)/i.exec(colour.trim());
  if (rgb) return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])];
  return undefined;
}

const toHex = (c: Rgb) => `#${c.map((v) => Math.round(Math.min(255, Math.max(0, v))).toString(16).padStart(2, '0')).join('')}`;

function luminance([r, g, b]: Rgb) {
  const lin = (v: number) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

export function contrastRatio(a: string, b: string): number {
  const ca = parseColour(a);
  const cb = parseColour(b);
  if (!ca || !cb) return 21;
  const [hi, lo] = [luminance(ca), luminance(cb)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** Mixes `colour` towards black (light mode) or white (dark mode) until it reads at 4.5:1 on `background`. */
export function readableOn(colour: string, background: string, mode: ThemeMode): string {
  const c = parseColour(colour);
  if (!c || contrastRatio(colour, background) >= 4.5) return colour;
  const target: Rgb = mode === 'light' ? [0, 0, 0] : [255, 255, 255];
  for (let t = 0.05; t <= 1; t += 0.05) {
    const mixed = toHex(c.map((v, i) => v + (target[i]! - v) * t) as Rgb);
    if (contrastRatio(mixed, background) >= 4.5) return mixed;
  }
  return toHex(target);
}

const SURFACES = {
  light: { default: '#f5f6f8', paper: '#ffffff', text: '#1b1f24', secondary: '#545d68', divider: 'rgba(27,31,36,0.12)' },
  dark: { default: '#111418', paper: '#1a1e24', text: '#e6e8eb', secondary: '#a9b1bb', divider: 'rgba(230,232,235,0.14)' },
} as const;

const DEFAULT_PRIMARY = { light: '#1f5fbf', dark: '#8ab4f8' } as const;

/** Status colours that read at 4.5:1 as text (outlined chips, warnings) on both surfaces of each mode. */
const STATUS = {
  light: { info: '#0266a3', success: '#2e7d32', warning: '#a65100', error: '#c62828' },
  dark: { info: '#4fc3f7', success: '#66bb6a', warning: '#ffa726', error: '#f4736b' },
} as const;

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
