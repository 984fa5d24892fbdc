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
  /**
   * The query parameters the spec names for it, as Katapult spells them (`virtual_machine[id]`,
   * `page`). Katapult merges the query string into a request's arguments, so nothing else is forwarded.
   */
  query: readonly string[];
}

type Parameter = { in?: unknown; name?: unknown; $ref?: unknown };

/** The operation's query parameter names; a `$ref` is looked up in the spec's components. */
function queryNames(spec: unknown, operation: unknown): string[] {
  const params = (operation as { parameters?: unknown } | null)?.parameters;
  if (!Array.isArray(params)) return [];
  const components = (spec as { components?: { parameters?: Record<string, Parameter> } }).components?.parameters ?? {};
  return params
    .map((p: Parameter) => (typeof p.$ref === 'string' ? components[p.$ref.replace('#/components/parameters/', '')] : p))
    .filter((p): p is Parameter => p?.in === 'query' && typeof p.name === 'string')
    .map((p) => p.name as string);
}

export function allowlistFromSpec(spec: unknown): AllowedRoute[] {
  const paths = (spec as { paths?: unknown } | null)?.paths;
  if (!paths || typeof paths !== 'object') throw new Error(`${specPath} has no "paths" object`);
  const routes = Object.entries(paths as Record<string, unknown>).flatMap(([path, item]) =>
    Object.entries(item && typeof item === 'object' ? (item as Record<string, unknown>) : {})
      .map(([m, operation]) => [m.toUpperCase(), operation] as const)
      .filter((e): e is readonly [AllowedRoute['method'], unknown] => (FORWARDABLE as readonly string[]).includes(e[0]))
      .map(([method, operation]) => ({ method, path, query: Object.freeze(queryNames(spec, operation)) })),
  );
  if (routes.length === 0) throw new Error(`${specPath} allows no GET or PATCH endpoint`);
  return routes;
}

export const ALLOWED: readonly AllowedRoute[] = Object.freeze(allowlistFromSpec(JSON.parse(readFileSync(specPath, 'utf8'))));

export const isAllowed = (method: string, path: string): boolean =>
  ALLOWED.some((r) => r.method === method.toUpperCase() && r.path === path);
