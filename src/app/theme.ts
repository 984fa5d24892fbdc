import { createTheme, type ThemeOptions } from '@mui/material/styles';

export type ThemeMode = 'light' | 'dark';

export function buildTheme(mode: ThemeMode, overrides: ThemeOptions = {}) {
  return createTheme({
    ...overrides,
    palette: { mode, primary: { main: mode === 'light' ? '#1f5fbf' : '#8ab4f8' }, ...overrides.palette },
    shape: { borderRadius: 8 },
  });
}
