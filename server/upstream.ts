/**
 * One abstraction for both modes: a function from a Fetch Request to a Response.
 * Live: fetch() to Katapult. Demo: the embedded MSW mock, answered in-process with getResponse.
 * The caller (app.ts) builds the full Request, including its AbortSignal.timeout, and knows nothing
 * else about which mode it is in.
 */
import { getResponse } from 'msw';
import { Agent, request as undiciRequest } from 'undici';
import { handlers } from '../src/mocks/handlers.ts';
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

/** One proxied call, without WHATWG Request/Headers/AbortSignal objects (they cost more than the proxying). */
export interface UpstreamCall {
  url: string;
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
 * The live proxy's hot path: undici request() on the keep-alive pool with its own header and body
 * timeouts. Failures look like fetch()'s (TypeError with the socket error as `cause`; a timeout is
 * an Error named TimeoutError), so the caller maps both paths the same way.
 */
export async function liveCall(call: UpstreamCall): Promise<UpstreamAnswer> {
  try {
    const res = await undiciRequest(call.url, {
      method: call.method as 'GET' | 'PATCH',
      headers: call.headers,
      body: call.body,
      dispatcher: pool,
      headersTimeout: call.timeoutMs,
      bodyTimeout: call.timeoutMs,
    });
    const body = Buffer.from(await res.body.arrayBuffer());
    return {
      status: res.statusCode,
      contentType: headerValue(res.headers['content-type']),
      retryAfter: headerValue(res.headers['retry-after']),
      body,
    };
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
      throw new DOMException('Katapult did not answer in time', 'TimeoutError');
    }
    throw new TypeError('fetch failed', { cause: e });
  }
}

export const upstreamFor = (config: ServerConfig): Upstream => (config.mode === 'live' ? liveUpstream : demoUpstream);
