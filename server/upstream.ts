/**
 * One abstraction for both modes: a function from a Fetch Request to a Response.
 * Live: fetch() to Katapult. Demo: the embedded MSW mock, answered in-process with getResponse.
 * The caller (app.ts) builds the full Request, including its AbortSignal.timeout, and knows nothing
 * else about which mode it is in.
 */
import { getResponse } from 'msw';
import { handlers } from '../src/mocks/handlers.ts';
import type { ServerConfig } from './config.ts';

export type Upstream = (request: Request) => Promise<Response>;

/** Origin the demo mock is addressed at; its handlers match by path suffix, so any origin works. */
export const DEMO_ORIGIN = 'http://katapult.mock';

/** The base URL that allowlisted paths are appended to (no trailing slash). */
export const apiBaseFor = (config: ServerConfig): string =>
  config.mode === 'live' && config.upstreamUrl ? config.upstreamUrl : `${DEMO_ORIGIN}/core/v1`;

export const liveUpstream: Upstream = (request) => fetch(request);

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

export const upstreamFor = (config: ServerConfig): Upstream => (config.mode === 'live' ? liveUpstream : demoUpstream);
