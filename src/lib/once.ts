/**
 * `make` run on the first call, its result returned from then on. For what the first screen does
 * not need at load (zod schemas, the API client): built when first used, or at idle, not while
 * the page starts (bench: cold load).
 */
export function once<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}
