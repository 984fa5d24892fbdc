/** Installs a Debian package with apt-get (the caller checks that it runs as root). */
import { execFileSync } from 'node:child_process';

export function aptInstall(pkg: string) {
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', pkg], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}
