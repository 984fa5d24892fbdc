/** What the proxy sends upstream: the validated PATCH body, the checked query, and a fresh set of headers. */
import type { FastifyRequest } from 'fastify';
import * as z from 'zod/mini';

export const MAX_QUERY_LENGTH = 4096;

/** A Katapult id or permalink: printable ASCII without spaces (so never a control character), never empty. */
const lookupId = z.string().check(z.minLength(1), z.maxLength(200), z.regex(/^[\x21-\x7e]+$/));

/**
 * The speed profile change as the vendored spec describes it, narrowed to what names one change:
 * the interface's id, and exactly one of the profile's id or permalink. Unknown keys are refused,
 * so nothing unvalidated is forwarded; an empty object would leave Katapult to take its arguments
 * from elsewhere (it merges the query string into the body), so it is refused too.
 */
export const speedProfileChange = z.strictObject({
  virtual_machine_network_interface: z.strictObject({ id: lookupId }),
  speed_profile: z.union([z.strictObject({ id: lookupId }), z.strictObject({ permalink: lookupId })]),
});
export type SpeedProfileChange = z.infer<typeof speedProfileChange>;

/** Where each problem is, never the value (which could be anything the client sent). */
export function validateChange(body: unknown): { ok: true; value: SpeedProfileChange } | { ok: false; problems: string[] } {
  const r = z.safeParse(speedProfileChange, body);
  if (r.success) return { ok: true, value: r.data };
  return { ok: false, problems: r.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(body)'}: ${i.code}`) };
}

/** The raw query string with its `?` (empty when the URL has none, `?` alone when it is empty). */
export const queryOf = (url: string) => {
  const i = url.indexOf('?');
  return i >= 0 ? url.slice(i) : '';
};

/**
 * The query as forwarded: only the parameters the endpoint's spec names, each at most once, decoded
 * and encoded again, so what was checked is what Katapult reads (no `;` or nested-bracket tricks).
 * `undefined` when the query holds anything else.
 */
export function checkedQuery(query: string, allowed: readonly string[]): string | undefined {
  const params = new URLSearchParams(query);
  const names = [...params.keys()];
  if (names.some((n) => !allowed.includes(n)) || new Set(names).size !== names.length) return undefined;
  const out = params.toString();
  return out === '' ? '' : `?${out}`;
}

/**
 * What goes upstream as Authorization. Server mode: the server's token, never the browser's.
 * Per-user mode: the browser's own bearer token, never the server's; undefined when it sent none.
 */
export function upstreamAuthorization(req: FastifyRequest, perUser: boolean, token: string | undefined): string | undefined {
  if (perUser) {
    const given = /^Bearer\s+([\x21-\x7e]+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
    return given ? `Bearer ${given}` : undefined;
  }
  return token ? `Bearer ${token}` : undefined;
}
