/**
 * The project's root directory (where package.json is), whether this code runs from server/ with
 * tsx or compiled into dist-server/server/ with tsc.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'spec'))) return dir;
    if (dirname(dir) === dir) throw new Error(`No project root (package.json beside spec/) above ${from}`);
  }
}

export const PROJECT_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));
