/**
 * One abstraction for both modes: a function from a Fetch Request to a Response.
 * Live: fetch() to Katapult. Demo: the embedded MSW mock, answered in-process with getResponse.
 * The caller (app.ts) builds the full Request, including its AbortSignal.timeout, and knows nothing
 * else about which mode it is in.
 */
import { getResponse } from 'msw';
import type { IncomingHttpHeaders } from 'node:http';
import { Agent, request as undiciRequest, type Dispatcher } from 'undici';
import { handlers, RECEIVED_AT_HEADER } from '../src/mocks/handlers.ts';
import type { ServerConfig } from './config.ts';

export type Upstream = (request: Request) => Promise<Response>;

/** Origin the demo mock is addressed at; its handlers match by path suffix, so any origin works. */
export const DEMO_ORIGIN = 'http://katapult.mock';

/** The base URL that allowlisted paths are appended to (no trailing slash). */
export const apiBaseFor = (config: ServerConfig): string =>
  config.mode === 'live' && config.upstreamUrl ? config.upstreamUrl : `${DEMO_ORIGIN}/core/v1`;

/**
 * Keep-alive connection pool to Katapult. undici's request() rather than fetch(): the same HTTP
 * client without the WHATWG stream machinery, several times the throughput per core (npm run bench
 * -- --only server measures the proxy's added latency).
 */
const pool = new Agent({ keepAliveTimeout: 30_000, connections: 256 });

export const liveUpstream: Upstream = async (request) => {
  try {
    const res = await undiciRequest(request.url, {
      method: request.method as 'GET' | 'PATCH',
      headers: Object.fromEntries(request.headers),
      body: request.body ? await request.text() : null,
      signal: request.signal,
      dispatcher: pool,
    });
    const body = await res.body.arrayBuffer();
    const headers = new Headers();
    for (const [k, v] of Object.entries(res.headers)) {
      if (typeof v === 'string') headers.set(k, v);
      else if (Array.isArray(v)) v.forEach((x) => headers.append(k, x));
    }
    const empty = res.statusCode === 204 || res.statusCode === 304;
    return new Response(empty ? null : body, { status: res.statusCode, headers });
  } catch (e) {
    // Same shape as fetch's failures (TypeError with the socket error as cause), so callers map
    // refused/reset/DNS errors and timeouts alike whichever client answered.
    if (e instanceof Error && (e.name === 'AbortError' || e.name === 'TimeoutError')) throw request.signal.reason ?? e;
    throw new TypeError('fetch failed', { cause: e });
  }
};

export const demoUpstream: Upstream = async (request) => {
  request.headers.set(RECEIVED_AT_HEADER, String(performance.now()));
  const response = await getResponse(handlers, request);
  if (!response) {
    return Response.json(
      {
        error: {
          code: 'route_not_found',
          description: `The demo API has no endpoint for ${request.method} ${new URL(request.url).pathname}.`,
          detail: {},
        },
      },
      { status: 404 },
    );
  }
  // HttpResponse.error() (the mock's injected network failure) is a Response of type "error":
  // behave as fetch() would, by throwing.
  if (response.type === 'error' || response.status === 0) throw new TypeError('fetch failed (demo mock network error)');
  return response;
};

/** Where live calls go: the origin the pool connects to and the path prefix, split once at startup. */
export interface UpstreamTarget {
  /** `http(s)://host[:port]`, as undici's pool keys its connections. */
  origin: string;
  /** The API base's path without a trailing slash, e.g. `/core/v1` (may be empty). */
  basePath: string;
}

export function upstreamTarget(apiBase: string): UpstreamTarget {
  const url = new URL(apiBase);
  return { origin: url.origin, basePath: url.pathname.replace(/\/+$/, '') };
}

/**
 * Characters that the WHATWG URL parser would rewrite (percent-encode, turn into `/`, or cut at `#`)
 * in a path or query: a target holding any goes through `new URL`, so it reaches Katapult exactly as
 * fetch() or request(url) would send it. The allowlisted paths are plain; this is for the query.
 */
const NEEDS_URL_PARSING = /[^\x21-\x7e]|["#'<>\\`{}]/;

/** The request target (path and query) for an allowlisted `path` under the target, as undici sends it. */
export function upstreamPath(target: UpstreamTarget, path: string, query: string): string {
  const plain = target.basePath + path + query;
  if (!NEEDS_URL_PARSING.test(path) && !NEEDS_URL_PARSING.test(query)) return plain;
  const url = new URL(plain, target.origin);
  return url.pathname + url.search;
}

/** One proxied call, without WHATWG Request/Headers/AbortSignal objects (they cost more than the proxying). */
export interface UpstreamCall {
  target: UpstreamTarget;
  /** Path and query, from `upstreamPath`. */
  path: string;
  method: string;
  headers: Record<string, string>;
  body: string | null;
  timeoutMs: number;
}
export interface UpstreamAnswer {
  status: number;
  contentType: string | undefined;
  retryAfter: string | undefined;
  body: Buffer;
}

const headerValue = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join(', ') : v);

/**
 * Collects one answer in memory: undici's dispatch() handler interface, without the Readable
 * stream, AsyncResource and URL parsing that request() adds to every call.
 */
class Collect implements Dispatcher.DispatchHandler {
  private status = 0;
  private contentType: string | undefined;
  private retryAfter: string | undefined;
  private readonly chunks: Buffer[] = [];
  constructor(
    private readonly resolve: (answer: UpstreamAnswer) => void,
    private readonly reject: (e: unknown) => void,
  ) {}
  // Present so undici treats this as a handler of its current interface (it checks for this one).
  onRequestStart() {}
  onResponseStart(_c: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders) {
    if (statusCode < 200) return; // 1xx: the final answer follows
    this.status = statusCode;
    this.contentType = headerValue(headers['content-type']);
    this.retryAfter = headerValue(headers['retry-after']);
  }
  onResponseData(_c: Dispatcher.DispatchController, chunk: Buffer) {
    this.chunks.push(chunk);
  }
  onResponseEnd() {
    const { chunks } = this;
    this.resolve({
      status: this.status,
      contentType: this.contentType,
      retryAfter: this.retryAfter,
      body: chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks),
    });
  }
  onResponseError(_c: Dispatcher.DispatchController, e: Error) {
    this.reject(e);
  }
}

/**
 * The live proxy's hot path: undici dispatch() on the keep-alive pool with its own header and body
 * timeouts. Failures look like fetch()'s (TypeError with the socket error as `cause`; a timeout is
 * an Error named TimeoutError), so the caller maps both paths the same way.
 */
export async function liveCall(call: UpstreamCall): Promise<UpstreamAnswer> {
  try {
    return await new Promise<UpstreamAnswer>((resolve, reject) => {
      pool.dispatch(
        {
          origin: call.target.origin,
          path: call.path,
          method: call.method as Dispatcher.HttpMethod,
          headers: call.headers,
          body: call.body,
          headersTimeout: call.timeoutMs,
          bodyTimeout: call.timeoutMs,
        },
        new Collect(resolve, reject),
      );
    });
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
      throw new DOMException('Katapult did not answer in time', 'TimeoutError');
    }
    throw new TypeError('fetch failed', { cause: e });
  }
}

export const upstreamFor = (config: ServerConfig): Upstream => (config.mode === 'live' ? liveUpstream : demoUpstream);
