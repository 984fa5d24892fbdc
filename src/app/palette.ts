/**
 * The panel's colours, for MUI's theme (theme.ts) and for the shell's brand colour (provider.tsx),
 * without MUI so the shell can use them. src/app/shell.css repeats them as CSS variables.
 */
export const SURFACES = {
  light: { default: '#f5f6f8', paper: '#ffffff', text: '#1b1f24', secondary: '#545d68', divider: 'rgba(27,31,36,0.12)' },
  dark: { default: '#111418', paper: '#1a1e24', text: '#e6e8eb', secondary: '#a9b1bb', divider: 'rgba(230,232,235,0.14)' },
} as const;

export const DEFAULT_PRIMARY = { light: '#1f5fbf', dark: '#8ab4f8' } as const;

/** Status colours that read at 4.5:1 as text (outlined chips, warnings) on both surfaces of each mode. */
export const STATUS = {
  light: { info: '#0266a3', success: '#2e7d32', warning: '#a65100', error: '#c62828' },
  dark: { info: '#4fc3f7', success: '#66bb6a', warning: '#ffa726', error: '#f4736b' },
} as const;
