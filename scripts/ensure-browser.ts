/**
 * Playwright drives Debian's Chromium (its own browser download cannot reach the internet here).
 * Uses /usr/bin/chromium when present; installs it with apt-get when running as root; otherwise
 * fails with what to install.
 */
import { execFileSync } from 'node:child_process';
import { aptInstall } from './apt.ts';
import { existsSync } from 'node:fs';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function version(): string | undefined {
  try {
    return execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8', timeout: 30_000 }).trim();
  } catch {
    return undefined;
  }
}

if (existsSync(CHROMIUM) && version()) {
  console.log(`browser: ${version()} at ${CHROMIUM}`);
} else if (process.getuid?.() === 0) {
  console.log('browser: Chromium is missing; installing Debian’s chromium package (apt-get)…');
  aptInstall('chromium');
  const v = version();
  if (!v) throw new Error(`Installed chromium, but ${CHROMIUM} --version still fails.`);
  console.log(`browser: ${v} at ${CHROMIUM}`);
} else {
  console.error(
    `No Chromium at ${CHROMIUM}. Install Debian's package as root: apt-get update && apt-get install -y chromium ` +
      '(or set CHROMIUM_PATH to another Chromium binary).',
  );
  process.exit(1);
}
