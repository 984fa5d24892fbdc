/** A throwaway SQLite audit file for a bench's server process. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const freshSqliteEnv = () => ({ AUDIT_DB: join(mkdtempSync(join(tmpdir(), 'katapult-bench-')), 'audit.sqlite') });
