/**
 * A throwaway PostgreSQL server for the tests: initdb in a temporary directory, started with pg_ctl
 * on a free port of 127.0.0.1, as a non-root user (PostgreSQL refuses to run as root): when the tests
 * run as root, the commands go through `runuser` as the `postgres` user (Debian's package creates it),
 * or a `katapult-pg` system user created for the purpose.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function postgresBinDir(): string | undefined {
  const given = process.env.POSTGRES_BIN_DIR;
  if (given) return existsSync(join(given, 'initdb')) ? given : undefined;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : undefined;
}

const userExists = (name: string) => {
  try {
    execFileSync('id', ['-u', name], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

/** The unprivileged account the server runs as when the tests run as root. */
function serviceUser(): { name: string; uid: number; gid: number } {
  let name = 'postgres';
  if (!userExists(name)) {
    name = 'katapult-pg';
    if (!userExists(name)) execFileSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', name]);
  }
  const id = (flag: string) => Number(execFileSync('id', [flag, name], { encoding: 'utf8' }).trim());
  return { name, uid: id('-u'), gid: id('-g') };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export interface RunningPostgres {
  /** Superuser connection URL to the `postgres` database. */
  url: string;
  stop(): void;
}

export async function startPostgres(): Promise<RunningPostgres> {
  const bin = postgresBinDir();
  if (!bin) throw new Error('PostgreSQL is not installed: run `npm run check:postgres` (apt-get install postgresql).');
  const dir = mkdtempSync(join(tmpdir(), 'katapult-audit-pg-'));
  const data = join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  const user = asRoot ? serviceUser() : undefined;
  if (user) chownSync(dir, user.uid, user.gid);
  const run = (cmd: string, args: string[]) =>
    execFileSync(user ? 'runuser' : join(bin, cmd), user ? ['-u', user.name, '--', join(bin, cmd), ...args] : args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      cwd: dir,
      timeout: 120_000,
    });
  const port = await freePort();
  try {
    run('initdb', ['-D', data, '-U', 'audit', '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions']);
    // Throwaway data: no fsync. The socket lives in the temporary directory, not /var/run/postgresql.
    const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
    run('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'postgres.log'), '-w', '-t', '120', 'start']);
  } catch (e) {
    const stderr = (e as { stderr?: Buffer }).stderr?.toString() ?? '';
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`PostgreSQL did not start: ${stderr || (e instanceof Error ? e.message : String(e))}`, { cause: e });
  }
  return {
    url: `postgres://audit@127.0.0.1:${port}/postgres`,
    stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
