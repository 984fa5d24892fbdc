/**
 * Reading one upstream answer within the call's deadline and size cap, and turning it, or the
 * failure to get it, into what the panel receives: always JSON, never the token.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { katapultError, type KatapultErrorEnvelope } from '../../protocol/panel.ts';
import { QueueFull } from './gate.ts';

export class DeadlinePassed extends Error {
  override name = 'TimeoutError';
}
export class TooLarge extends Error {
  override name = 'TooLarge';
}

/** One deadline per call, from the request's arrival to the answer's last byte. */
export function startDeadline(remainingMs: number) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DeadlinePassed('Katapult did not answer in time')), Math.max(0, remainingMs));
  const endsAt = performance.now() + remainingMs;
  return {
    signal: controller.signal,
    remaining: () => Math.max(1, Math.round(endsAt - performance.now())),
    dispose: () => clearTimeout(timer),
  };
}
export type Deadline = ReturnType<typeof startDeadline>;

/** Reads a body to its end, or stops reading (and destroys it) past `maxBytes` or the deadline. */
export function readBody(stream: Readable, headers: IncomingHttpHeaders, maxBytes: number, signal: AbortSignal): Promise<Buffer> {
  const declared = Number(headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    stream.destroy();
    return Promise.reject(new TooLarge());
  }
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const fail = (e: unknown) => {
      signal.removeEventListener('abort', onAbort);
      stream.destroy();
      reject(e);
    };
    const onAbort = () => fail(signal.reason);
    if (signal.aborted) return fail(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) fail(new TooLarge());
      else chunks.push(chunk);
    });
    stream.once('error', fail);
    stream.once('end', () => {
      signal.removeEventListener('abort', onAbort);
      resolve(Buffer.concat(chunks));
    });
  });
}

export interface Relayed {
  status: number;
  body: string;
  retryAfter?: string | undefined;
  /** The parsed JSON, when the upstream answered JSON. */
  json?: unknown;
}

const isJsonType = (type: string | undefined) => /^application\/([\w.+-]*\+)?json\s*(;|$)/i.test(type ?? '');
const scrub = (text: string, secrets: readonly string[]) => secrets.reduce((t, s) => (s ? t.split(s).join('[redacted]') : t), text);

/**
 * The token scrubbed from every string and key of a parsed answer, in place: JSON can spell it
 * with escapes (`\u0061`, `\/`) that the raw bytes do not show. Iterative, so a deeply nested
 * answer cannot exhaust the stack. Says whether anything changed.
 */
function scrubParsed(root: unknown, secrets: readonly string[]): { value: unknown; changed: boolean } {
  let changed = false;
  const clean = (text: string) => {
    const out = scrub(text, secrets);
    if (out !== text) changed = true;
    return out;
  };
  if (typeof root === 'string') return { value: clean(root), changed };
  const set = (o: object, key: string, value: unknown) =>
    Object.defineProperty(o, key, { value, writable: true, enumerable: true, configurable: true });
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (!node || typeof node !== 'object') continue;
    const o = node as Record<string, unknown>;
    for (const key of Object.keys(o)) {
      const value = o[key];
      const next = typeof value === 'string' ? clean(value) : value;
      const name = Array.isArray(o) ? key : clean(key);
      if (name !== key) delete o[key];
      if (name !== key || next !== value) set(o, name, next);
      if (next && typeof next === 'object') stack.push(next);
    }
  }
  return { value: root, changed };
}

/** Retry-After as HTTP defines it (delta-seconds, or an IMF-fixdate HTTP date); anything else is not relayed. */
const RETRY_AFTER =
  /^(\d{1,9}|(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT)$/;
function retryAfterOf(value: string | string[] | undefined, secrets: readonly string[]): string | undefined {
  if (typeof value !== 'string' || !RETRY_AFTER.test(value)) return undefined;
  if (!/^\d+$/.test(value) && !Number.isFinite(Date.parse(value))) return undefined;
  // A token made of exactly these characters is still never relayed.
  return secrets.some((s) => s && value.includes(s)) ? undefined : value;
}

/** A short plain-text excerpt of a body that was not JSON (tags, scripts and styles dropped). */
export function excerptOf(text: string, secrets: readonly string[]): string {
  const plain = text
    .replace(/<(script|style)[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return scrub(plain, secrets).slice(0, 200);
}

/** What the panel receives for an upstream answer: its JSON relayed, anything else as a JSON 502. */
export function relayedAnswer(status: number, headers: IncomingHttpHeaders, body: Buffer, secrets: readonly string[]): Relayed {
  const type = Array.isArray(headers['content-type']) ? headers['content-type'][0] : headers['content-type'];
  const text = scrub(body.toString('utf8'), secrets);
  const retryAfter = retryAfterOf(headers['retry-after'], secrets);
  if (status >= 200 && status <= 599 && isJsonType(type) && text.trim() !== '') {
    let parsed: unknown;
    let ok = false;
    try {
      parsed = JSON.parse(text) as unknown;
      ok = true;
    } catch {
      // falls through: a JSON type with a body that is not JSON
    }
    if (ok) {
      // Only an escape can hide the token from the raw scrub, and every escape starts with a backslash.
      if (!text.includes('\\')) return { status, body: text, retryAfter, json: parsed };
      const { value, changed } = scrubParsed(parsed, secrets);
      if (!changed) return { status, body: text, retryAfter, json: value };
      try {
        return { status, body: JSON.stringify(value), retryAfter, json: value };
      } catch {
        // falls through: too deep to write again; relayed as an answer that is not JSON, excerpt scrubbed
      }
    }
  }
  const error: KatapultErrorEnvelope = katapultError(
    'upstream_not_json',
    `Katapult answered HTTP ${status} with ${text.trim() === '' ? 'an empty body' : 'a body that is not JSON'}.`,
    { status, content_type: type ?? null, excerpt: excerptOf(text, secrets) },
  );
  return { status: 502, body: JSON.stringify(error), retryAfter };
}

const REASONS: Record<string, string> = {
  ECONNREFUSED: 'the connection was refused',
  ENOTFOUND: 'its host name could not be resolved',
  EAI_AGAIN: 'its host name could not be resolved',
  ECONNRESET: 'the connection was closed unexpectedly',
  UND_ERR_SOCKET: 'the connection was closed unexpectedly',
  EPIPE: 'the connection was closed unexpectedly',
};
const TIMEOUTS = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT']);

/** A failed call as the panel's answer: status and envelope, in words a support engineer can act on. */
export function failureAnswer(e: unknown, timeoutMs: number, maxBytes: number): { status: number; body: KatapultErrorEnvelope; log: string } {
  const err = e as { code?: unknown; cause?: { code?: unknown }; name?: unknown } | undefined;
  const code = typeof err?.code === 'string' ? err.code : typeof err?.cause?.code === 'string' ? err.cause.code : undefined;
  if (e instanceof DeadlinePassed || err?.name === 'TimeoutError' || (code && TIMEOUTS.has(code))) {
    const seconds = timeoutMs / 1000;
    return {
      status: 504,
      body: katapultError('upstream_timeout', `Katapult did not answer within ${seconds} s.`, { timeout_seconds: seconds }),
      log: 'upstream timeout',
    };
  }
  if (e instanceof QueueFull) {
    return {
      status: 503,
      body: katapultError('upstream_busy', 'The panel’s server has too many calls to Katapult waiting; try again in a moment.'),
      log: 'upstream queue full',
    };
  }
  if (e instanceof TooLarge) {
    return {
      status: 502,
      body: katapultError('upstream_too_large', `Katapult’s answer was larger than ${maxBytes} bytes; it was not read.`, { limit_bytes: maxBytes }),
      log: 'upstream answer too large',
    };
  }
  const words = (code && REASONS[code]) ?? (code && /CERT|TLS|SSL/.test(code) ? 'its TLS certificate was not accepted' : 'the connection failed');
  return {
    status: 502,
    body: katapultError('upstream_unreachable', `The panel’s server could not reach Katapult: ${words}.`, code ? { reason: code } : {}),
    log: 'upstream unreachable',
  };
}
