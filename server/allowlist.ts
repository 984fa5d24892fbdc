/**
 * The only Katapult endpoints the proxy forwards: derived at startup from the vendored spec subset
 * (`npm run gen:api` writes it), so the allowlist and the generated client types cannot drift apart.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from './root.ts';

const specPath = join(PROJECT_ROOT, 'spec', 'katapult-core-openapi.subset.json');

/** Methods the proxy can forward at all; anything else in the spec is ignored. */
const FORWARDABLE = ['GET', 'PATCH'] as const;

export interface AllowedRoute {
  method: (typeof FORWARDABLE)[number];
  /** Katapult path relative to `/core/v1`, e.g. `/tasks/task`. */
  path: string;
}

export function allowlistFromSpec(spec: unknown): AllowedRoute[] {
  const paths = (spec as { paths?: unknown } | null)?.paths;
  if (!paths || typeof paths !== 'object') throw new Error(`${specPath} has no "paths" object`);
  const routes = Object.entries(paths as Record<string, unknown>).flatMap(([path, item]) =>
    Object.keys(item && typeof item === 'object' ? item : {})
      .map((m) => m.toUpperCase())
      .filter((m): m is AllowedRoute['method'] => (FORWARDABLE as readonly string[]).includes(m))
      .map((method) => ({ method, path })),
  );
  if (routes.length === 0) throw new Error(`${specPath} allows no GET or PATCH endpoint`);
  return routes;
}

export const ALLOWED: readonly AllowedRoute[] = Object.freeze(allowlistFromSpec(JSON.parse(readFileSync(specPath, 'utf8'))));

export const isAllowed = (method: string, path: string): boolean =>
  ALLOWED.some((r) => r.method === method.toUpperCase() && r.path === path);
