/**
 * Issue 16, defect 4: the server process never loads Vite (the build runs before it, in its own
 * process), so its memory is a server's, not a bundler's. Checked by starting server/main.ts with
 * a module hook that fails any import of Vite, with no build present (the case that used to build
 * in-process). The idle RSS itself is measured by `npm run bench` (bench/idle-rss.ts).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { demoAuditPath } from './audit/config.ts';
import { PROJECT_ROOT } from './root.ts';
import { spawnServer } from './testing/spawn-server.ts';

const dir = mkdtempSync(join(tmpdir(), 'panel-start-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const DENY_VITE = `
import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(\`
  export async function resolve(specifier, context, next) {
    if (/^(vite|@vitejs\\\\/|rolldown)(\\\\/|$)/.test(specifier)) throw new Error('Vite was loaded: ' + specifier);
    return next(specifier, context);
  }\`));
`;

describe('npm start’s server process', () => {
  it('never loads Vite, even when the build is missing', async () => {
    const hook = join(dir, 'deny-vite.mjs');
    writeFileSync(hook, DENY_VITE);
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--import', pathToFileURL(hook).href, join(PROJECT_ROOT, 'server', 'main.ts')],
      {
        cwd: PROJECT_ROOT,
        env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', DIST_DIR: join(dir, 'no-build'), KATAPULT_API_URL: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    const outcome = await new Promise<'listening' | 'exited'>((resolve) => {
      const seen = (d: Buffer) => {
        output += d.toString();
        if (output.includes('Katapult panel listening')) resolve('listening');
      };
      child.stdout.on('data', seen);
      child.stderr.on('data', seen);
      child.once('exit', () => resolve('exited'));
    });
    child.kill('SIGTERM');
    expect(output).not.toContain('Vite was loaded');
    expect(outcome).toBe('listening');
    expect(output).toContain('No build in');
  }, 60_000);
});

describe('a production start (NODE_ENV=production)', () => {
  it('refuses to start on demo data unless asked by name, and says what is missing', async () => {
    await expect(spawnServer({ NODE_ENV: 'production' })).rejects.toThrow(
      /server exited \(1\)[\s\S]*KATAPULT_API_URL is not set: with NODE_ENV=production[\s\S]*DEMO=1/,
    );
  }, 60_000);

  it('with DEMO=1 says demo in its first log line and in /readyz, and deletes its own audit file when it stops', async () => {
    const server = await spawnServer({ NODE_ENV: 'production', DEMO: '1' });
    try {
      const first = JSON.parse(server.lines[0]!) as { msg: string; mode: string };
      expect(first).toMatchObject({ mode: 'demo', msg: expect.stringMatching(/^Demo mode/) });
      expect(await (await fetch(`${server.url}/readyz`)).json()).toMatchObject({ status: 'ready', mode: 'demo' });
      expect(existsSync(demoAuditPath(server.child.pid))).toBe(true);
    } finally {
      await server.kill();
    }
    expect(server.child.exitCode).toBe(0);
    expect(existsSync(demoAuditPath(server.child.pid))).toBe(false);
  }, 60_000);
});
