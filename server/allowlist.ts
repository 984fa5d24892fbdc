/** The only Katapult endpoints the proxy forwards: derived from the vendored spec subset. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const specPath = fileURLToPath(new URL('../spec/katapult-core-openapi.subset.json', import.meta.url));

export interface AllowedRoute {
  method: 'GET' | 'PATCH';
  path: string;
}

export const ALLOWED: AllowedRoute[] = (() => {
  const spec = JSON.parse(readFileSync(specPath, 'utf8')) as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(spec.paths).flatMap(([path, item]) =>
    Object.keys(item)
      .map((m) => m.toUpperCase())
      .filter((m): m is AllowedRoute['method'] => m === 'GET' || m === 'PATCH')
      .map((method) => ({ method, path })),
  );
})();

export const isAllowed = (method: string, path: string) => ALLOWED.some((r) => r.method === method && r.path === path);
