import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { resetDb } from '../../mock/db.ts';
import { mockServer } from '../../mock/node.ts';

// findBy*/waitFor wait for what the user would see; on a loaded 2-core machine a lazy section can take
// longer than the library's default second to appear (a failed CI run), so they wait up to 10 s.
configure({ asyncUtilTimeout: 10_000 });

beforeAll(() => mockServer.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  cleanup();
  mockServer.resetHandlers();
  resetDb();
});
afterAll(() => mockServer.close());
