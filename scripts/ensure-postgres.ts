/**
 * The server tests run the audit log against a real PostgreSQL (Debian's `postgresql` package). Finds
 * its binaries under /usr/lib/postgresql/<version>/bin; installs the package with apt-get when running
 * as root and it is missing; otherwise fails with what to install. The tests start their own server.
 */
import { execFileSync } from 'node:child_process';
import { aptInstall } from './apt.ts';
import { pathToFileURL } from 'node:url';
import { postgresBinDir } from '../server/testing/postgres.ts';

function check() {
  const found = postgresBinDir();
  if (found) return found;
  if (process.getuid?.() !== 0) {
    console.error(
      'No PostgreSQL server binaries in /usr/lib/postgresql/*/bin. Install Debian’s package as root: ' +
        'apt-get update && apt-get install -y postgresql (or set POSTGRES_BIN_DIR to a directory holding initdb and pg_ctl).',
    );
    process.exit(1);
  }
  console.log('postgres: PostgreSQL is missing; installing Debian’s postgresql package (apt-get)…');
  aptInstall('postgresql');
  const dir = postgresBinDir();
  if (!dir) throw new Error('Installed postgresql, but no /usr/lib/postgresql/*/bin/initdb appeared.');
  return dir;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const dir = check();
  const version = execFileSync(`${dir}/postgres`, ['--version'], { encoding: 'utf8' }).trim();
  console.log(`postgres: ${version} at ${dir}`);
}
