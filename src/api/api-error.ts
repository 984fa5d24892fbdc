/**
 * The one error value every failed Katapult call becomes. React Query registers it as the
 * default error type (src/lib/query-client.ts), so components never see anything else.
 */
import * as z from 'zod/mini';
import { UPSTREAM_NOT_JSON, type UpstreamNotJsonDetail } from '../../protocol/panel.ts';

export type ApiErrorKind =
  /** Katapult answered with its error envelope (wrapped or documented/unwrapped). */
  | 'katapult'
  /** Something answered, but not with a Katapult envelope: HTML from a proxy, empty or malformed body. */
  | 'unexpected'
  /** No answer at all: connection refused, DNS, offline, CORS. */
  | 'network';

export interface ApiErrorInit {
  kind: ApiErrorKind;
  status: number;
  code?: string | undefined;
  description?: string | undefined;
  detail?: Record<string, unknown> | undefined;
  /** First characters of a body that was not a Katapult error, for the "unexpected response" message. */
  bodySnippet?: string | undefined;
}

export class ApiError extends Error {
  readonly kind: ApiErrorKind;
  readonly status: number;
  readonly code: string | undefined;
  readonly description: string | undefined;
  readonly detail: Record<string, unknown>;
  readonly bodySnippet: string | undefined;

  constructor(init: ApiErrorInit) {
    super(init.code ?? (init.kind === 'network' ? 'Network error' : `HTTP ${init.status}`));
    this.name = 'ApiError';
    this.kind = init.kind;
    this.status = init.status;
    this.code = init.code;
    this.description = init.description;
    this.detail = init.detail ?? {};
    this.bodySnippet = init.bodySnippet;
  }
}

/** Katapult's error envelope: documented bare, but the live API wraps it in `error`. */
const envelope = z.looseObject({
  code: z.string(),
  description: z.optional(z.nullable(z.string())),
  detail: z.optional(z.nullable(z.record(z.string(), z.unknown()))),
});
const wrapped = z.looseObject({ error: envelope });

/** Turns a failed response's status and raw text into an ApiError. Never throws. */
export function errorFromBody(status: number, text: string): ApiError {
  const snippet = text.trim().slice(0, 200);
  let json: unknown;
  try {
    json = text.trim() === '' ? undefined : JSON.parse(text);
  } catch {
    return new ApiError({ kind: 'unexpected', status, bodySnippet: snippet });
  }
  const w = wrapped.safeParse(json);
  const e = w.success ? w.data.error : envelope.safeParse(json).data;
  if (!e) return new ApiError({ kind: 'unexpected', status, bodySnippet: snippet || undefined });
  if (e.code === UPSTREAM_NOT_JSON) {
    // The server's word that Katapult's own answer was not JSON: shown as that answer, with its status.
    const d = (e.detail ?? {}) as Partial<UpstreamNotJsonDetail>;
    const excerpt = typeof d.excerpt === 'string' && d.excerpt !== '' ? d.excerpt : undefined;
    const upstreamStatus = typeof d.status === 'number' ? d.status : status;
    const ok = upstreamStatus >= 200 && upstreamStatus < 300;
    return new ApiError({
      kind: 'unexpected',
      status: upstreamStatus,
      description: ok ? (excerpt ? 'The answer was not JSON.' : 'The answer was empty.') : undefined,
      bodySnippet: excerpt,
    });
  }
  return new ApiError({
    kind: 'katapult',
    status,
    code: e.code,
    description: e.description ?? undefined,
    detail: e.detail ?? {},
  });
}

/** Parses a successful answer's text as JSON; an empty or non-JSON body is an unexpected answer. */
export function jsonFromBody(status: number, text: string): unknown {
  try {
    if (text.trim() === '') throw new Error('empty');
    return JSON.parse(text) as unknown;
  } catch {
    throw new ApiError({
      kind: 'unexpected',
      status,
      description: text.trim() === '' ? 'The answer was empty.' : 'The answer was not JSON.',
      bodySnippet: text.trim().slice(0, 200) || undefined,
    });
  }
}

export const unexpectedShape = (status: number, what: string) =>
  new ApiError({ kind: 'unexpected', status, description: `The answer did not contain ${what}.` });

export const networkError = (cause: unknown) =>
  new ApiError({
    kind: 'network',
    status: 0,
    description: cause instanceof Error && cause.message ? cause.message : 'The request did not reach the server.',
  });
