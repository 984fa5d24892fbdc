/**
 * `npm start`'s staleness check (issue 28, finding 10): a build is fresh while its inputs hash as
 * they did when it was made, whatever its output holds and whatever the files' times say.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EMBED_DIR, EMBED_FILE, isBuildStale, isServerBuildStale, SERVER_ENTRY, SERVER_OUT_DIR, serverInputsHash, spaInputsHash, writeStamp } from '../server/build.ts';
import { PROJECT_ROOT } from '../server/root.ts';
import { ensureServerBuild, ensureSpaBuild } from './ensure-build.ts';

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

/** A project with a few inputs and a finished SPA build of them, as ensureSpaBuild leaves it. */
function builtProject() {
  const root = mkdtempSync(join(tmpdir(), 'panel-build-'));
  roots.push(root);
  const write = (path: string, text: string) => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  write('src/deep/a.ts', 'export const a = 1;\n');
  write('src/deep/a.test.ts', 'it("a", () => {});\n');
  write('package.json', '{}');
  write('package-lock.json', '{}');
  write('index.html', '<main id="root"></main>');
  // What scripts/prerender.ts really writes: the old text match looked for `<form method="get"` and never found it.
  write('dist/index.html', '<main id="root"><form class="MuiBox-root css-1" action="./" method="get"></form></main>');
  write(`dist/${EMBED_DIR}/${EMBED_FILE}`, '');
  writeStamp(join(root, 'dist'), spaInputsHash(root));
  return { root, write };
}

describe('the SPA build’s staleness', () => {
  it('is fresh right after a build, so npm start does not build again', async () => {
    const { root } = builtProject();
    expect(isBuildStale(root)).toBe(false);
    let built = false;
    expect(await ensureSpaBuild(root, 'dist', () => (built = true))).toBe(false);
    expect(built).toBe(false);
  });

  it('is stale once an input changes, is added or is removed', () => {
    const edited = builtProject();
    edited.write('src/deep/a.ts', 'export const a = 2;\n');
    expect(isBuildStale(edited.root)).toBe(true);

    const added = builtProject();
    added.write('src/b.ts', '');
    expect(isBuildStale(added.root)).toBe(true);

    const removed = builtProject();
    rmSync(join(removed.root, 'src/deep/a.ts'));
    expect(isBuildStale(removed.root)).toBe(true);

    const locked = builtProject();
    locked.write('package-lock.json', '{"lockfileVersion":3}');
    expect(isBuildStale(locked.root)).toBe(true);
  });

  it('stays fresh when only the files’ times change (a checkout, a copy) or a test changes', () => {
    const { root, write } = builtProject();
    for (const p of ['src/deep/a.ts', 'src/deep', 'src', 'package.json', 'index.html']) utimesSync(join(root, p), 4_000_000_000, 4_000_000_000);
    write('src/deep/a.test.ts', 'it("b", () => {});\n');
    expect(isBuildStale(root)).toBe(false);
  });

  it('is stale without a stamp (a bare `vite build`), a page or the mount() module', () => {
    const noStamp = builtProject();
    rmSync(join(noStamp.root, 'dist', '.build-inputs.json'));
    expect(isBuildStale(noStamp.root)).toBe(true);

    const noEmbed = builtProject();
    rmSync(join(noEmbed.root, 'dist', EMBED_DIR), { recursive: true });
    expect(isBuildStale(noEmbed.root)).toBe(true);

    const noPage = builtProject();
    rmSync(join(noPage.root, 'dist', 'index.html'));
    expect(isBuildStale(noPage.root)).toBe(true);
  });
});

describe('the compiled server’s staleness', () => {
  it('is fresh after a compile, and stale once a server source changes', () => {
    const { root, write } = builtProject();
    write('server/main.ts', 'console.log(1);\n');
    write(SERVER_ENTRY, '');
    writeStamp(join(root, SERVER_OUT_DIR), serverInputsHash(root));
    expect(isServerBuildStale(root)).toBe(false);
    expect(ensureServerBuild(root, () => {})).toBe(false);
    utimesSync(join(root, 'server/main.ts'), 4_000_000_000, 4_000_000_000);
    expect(isServerBuildStale(root)).toBe(false);
    write('server/main.ts', 'console.log(2);\n');
    expect(isServerBuildStale(root)).toBe(true);
  });
});

describe('npm start’s prestart in a deployment pruned to its runtime dependencies', () => {
  /** A copy of the deployment: the prestart script, and no node_modules/tsx. */
  function deployment(withServer: boolean) {
    const root = mkdtempSync(join(tmpdir(), 'panel-pruned-'));
    roots.push(root);
    mkdirSync(join(root, 'scripts'));
    copyFileSync(join(PROJECT_ROOT, 'scripts', 'prestart.mjs'), join(root, 'scripts', 'prestart.mjs'));
    if (withServer) {
      mkdirSync(join(root, 'dist-server', 'server'), { recursive: true });
      writeFileSync(join(root, 'dist-server', 'server', 'main.js'), '');
    }
    return spawnSync(process.execPath, [join(root, 'scripts', 'prestart.mjs')], { cwd: root, encoding: 'utf8' });
  }

  it('starts the build it has, saying it was not checked, without tsx', () => {
    const r = deployment(true);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Dev dependencies are not installed');
  });

  it('refuses, and says what to run, when there is no compiled server', () => {
    const r = deployment(false);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('npm ci && npm run build');
  });
});
