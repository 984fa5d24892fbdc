import { getContrastRatio } from '@mui/material/styles';
import { describe, expect, it } from 'vitest';
import { createPanelTheme } from '../theme.ts';
import { formatRelative } from '../../lib/time.ts';

const paletteOf = (mode: 'light' | 'dark', primary?: string) => {
  const theme = createPanelTheme({ mode, overrides: primary ? { palette: { primary: { main: primary } } } : {} });
  const palette = theme.colorSchemes[mode]?.palette;
  if (!palette) throw new Error(`no ${mode} scheme`);
  return palette;
};

describe('createPanelTheme', () => {
  for (const mode of ['light', 'dark'] as const) {
    it(`keeps a host's brand primary readable (AA) in ${mode} mode`, () => {
      for (const brand of ['#ffd400', '#0a0a40', '#e4002b', '#00a3e0']) {
        const palette = paletteOf(mode, brand);
        expect(getContrastRatio(palette.primary.main, palette.background.paper)).toBeGreaterThanOrEqual(4.5);
        expect(getContrastRatio(palette.primary.main, palette.background.default)).toBeGreaterThanOrEqual(4.5);
        expect(getContrastRatio(palette.primary.contrastText, palette.primary.main)).toBeGreaterThanOrEqual(4.5);
      }
    });

    it(`gives status colours AA contrast as text in ${mode} mode`, () => {
      const palette = paletteOf(mode);
      for (const c of [palette.info, palette.success, palette.warning, palette.error]) {
        expect(getContrastRatio(c.main, palette.background.paper)).toBeGreaterThanOrEqual(4.5);
        expect(getContrastRatio(c.contrastText, c.main)).toBeGreaterThanOrEqual(4.5);
      }
    });
  }

  it('keeps a brand colour that is already readable unchanged', () => {
    expect(paletteOf('light', '#1f5fbf').primary.main).toBe('#1f5fbf');
  });

  it('has both colour schemes when it follows the system, one when a mode is forced', () => {
    expect(Object.keys(createPanelTheme({ mode: 'system' }).colorSchemes).sort()).toEqual(['dark', 'light']);
    expect(Object.keys(createPanelTheme({ mode: 'dark' }).colorSchemes)).toEqual(['dark']);
  });

  it('sizes type from the host page’s root font size, so a 20 px root does not enlarge the panel', () => {
    const at16 = createPanelTheme({ mode: 'light' });
    const at20 = createPanelTheme({ mode: 'light', htmlFontSize: 20 });
    const px = (rem: string | number | undefined, root: number) => parseFloat(String(rem)) * root;
    expect(px(at20.typography.body1.fontSize, 20)).toBe(px(at16.typography.body1.fontSize, 16));
    expect(px(at20.typography.h1.fontSize, 20)).toBe(px(at16.typography.h1.fontSize, 16));
  });

  it('in px when mounted (fixedPx), so no root font size reaches the type, even one set later', () => {
    const theme = createPanelTheme({ mode: 'light', fixedPx: true });
    expect(theme.typography.body2.fontSize).toBe('14px');
    expect(theme.typography.h2.fontSize).toBe('17px');
    expect(theme.typography.pxToRem(12)).toBe('12px');
  });
});

describe('formatRelative', () => {
  const now = Date.UTC(2026, 10, 23, 9, 0, 0);
  it('says minutes ago and days ahead in the given locale', () => {
    expect(formatRelative(now / 1000 - 120, now, 'en')).toBe('2 minutes ago');
    expect(formatRelative(now / 1000 + 6 * 86_400, now, 'en')).toBe('in 6 days');
    expect(formatRelative(now / 1000 - 3, now, 'en')).toBe('now');
  });
});
