import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EMBED_DIR, EMBED_FILE, isBuildStale, PRERENDER_MARK } from './build.ts';

describe('isBuildStale', () => {
  const root = mkdtempSync(join(tmpdir(), 'panel-build-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const at = (path: string, seconds: number) => utimesSync(join(root, path), seconds, seconds);

  it('is stale when dist/index.html is missing', () => {
    expect(isBuildStale(root)).toBe(true);
  });

  it('is fresh when dist/index.html is newer than every source, and stale once a source under src/ changes', () => {
    mkdirSync(join(root, 'src', 'deep'), { recursive: true });
    mkdirSync(join(root, 'dist'));
    writeFileSync(join(root, 'src', 'deep', 'a.ts'), '');
    writeFileSync(join(root, 'package.json'), '{}');
    writeFileSync(join(root, 'dist', 'index.html'), PRERENDER_MARK);
    mkdirSync(join(root, 'dist', EMBED_DIR));
    writeFileSync(join(root, 'dist', EMBED_DIR, EMBED_FILE), '');
    for (const p of ['src/deep/a.ts', 'src/deep', 'src', 'package.json']) at(p, 1_000);
    at('dist/index.html', 2_000);
    expect(isBuildStale(root)).toBe(false);
    at('src/deep/a.ts', 3_000);
    expect(isBuildStale(root)).toBe(true);
  });

  it('is stale when the mount() module is missing, even with a fresh index.html', () => {
    const other = mkdtempSync(join(tmpdir(), 'panel-build-embed-'));
    try {
      mkdirSync(join(other, 'dist'));
      writeFileSync(join(other, 'dist', 'index.html'), PRERENDER_MARK);
      expect(isBuildStale(other)).toBe(true);
      mkdirSync(join(other, 'dist', EMBED_DIR));
      writeFileSync(join(other, 'dist', EMBED_DIR, EMBED_FILE), '');
      expect(isBuildStale(other)).toBe(false);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('is stale when index.html lacks the prerendered first screen (a bare `vite build`)', () => {
    const other = mkdtempSync(join(tmpdir(), 'panel-build-prerender-'));
    try {
      mkdirSync(join(other, 'dist', EMBED_DIR), { recursive: true });
      writeFileSync(join(other, 'dist', EMBED_DIR, EMBED_FILE), '');
      writeFileSync(join(other, 'dist', 'index.html'), '<main id="root"></main>');
      expect(isBuildStale(other)).toBe(true);
      writeFileSync(join(other, 'dist', 'index.html'), `<main id="root">${PRERENDER_MARK} action="./"></form></main>`);
      expect(isBuildStale(other)).toBe(false);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});
