import { describe, expect, it } from 'vitest';
import { buildTheme, contrastRatio } from '../theme.ts';
import { formatRelative } from '../../lib/time.ts';

describe('buildTheme', () => {
  for (const mode of ['light', 'dark'] as const) {
    it(`keeps a host's brand primary readable (AA) in ${mode} mode`, () => {
      for (const brand of ['#ffd400', '#0a0a40', '#e4002b', '#00a3e0']) {
        const { palette } = buildTheme(mode, { palette: { primary: { main: brand } } });
        expect(contrastRatio(palette.primary.main, palette.background.paper)).toBeGreaterThanOrEqual(4.5);
        expect(contrastRatio(palette.primary.main, palette.background.default)).toBeGreaterThanOrEqual(4.5);
        expect(contrastRatio(palette.primary.contrastText, palette.primary.main)).toBeGreaterThanOrEqual(4.5);
      }
    });

    it(`gives status colours AA contrast as text in ${mode} mode`, () => {
      const { palette } = buildTheme(mode);
      for (const c of [palette.info, palette.success, palette.warning, palette.error]) {
        expect(contrastRatio(c.main, palette.background.paper)).toBeGreaterThanOrEqual(4.5);
        expect(contrastRatio(c.contrastText, c.main)).toBeGreaterThanOrEqual(4.5);
      }
    });
  }

  it('keeps a brand colour that is already readable unchanged', () => {
    expect(buildTheme('light', { palette: { primary: { main: '#1f5fbf' } } }).palette.primary.main).toBe('#1f5fbf');
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
