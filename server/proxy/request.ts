/** What the proxy sends upstream: the validated PATCH body, the query, and a fresh set of headers. */
import type { FastifyRequest } from 'fastify';
import * as z from 'zod/mini';

export const MAX_QUERY_LENGTH = 4096;

const lookupId = z.optional(z.string().check(z.maxLength(200)));

/**
 * The speed profile change as the vendored spec describes it (both objects required, their
 * properties optional strings). Unknown keys are refused, so nothing unvalidated is forwarded.
 */
export const speedProfileChange = z.strictObject({
  virtual_machine_network_interface: z.strictObject({ id: lookupId }),
  speed_profile: z.strictObject({ id: lookupId, permalink: lookupId }),
});
export type SpeedProfileChange = z.infer<typeof speedProfileChange>;

/** Where each problem is, never the value (which could be anything the client sent). */
export function validateChange(body: unknown): { ok: true; value: SpeedProfileChange } | { ok: false; problems: string[] } {
  const r = z.safeParse(speedProfileChange, body);
  if (r.success) return { ok: true, value: r.data };
  return { ok: false, problems: r.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(body)'}: ${i.code}`) };
}

export const queryOf = (url: string) => {
  const i = url.indexOf('?');
  return i >= 0 ? url.slice(i) : '';
};

/**
 * Characters that the WHATWG URL parser would rewrite (percent-encode, or cut at `#`) in a query:
 * such a query goes through `new URL`, so it reaches Katapult as fetch() would send it.
 */
const NEEDS_URL_PARSING = /[^\x21-\x7e]|["#'<>\\`{}]/;
export const normalQuery = (query: string) =>
  NEEDS_URL_PARSING.test(query) ? new URL(`http://x/${query}`).search : query;

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
