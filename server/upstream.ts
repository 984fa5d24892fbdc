/**
 * One abstraction for both modes: a function from a Fetch Request to a Response.
 * Live: fetch() to Katapult. Demo: the embedded MSW mock, answered in-process with getResponse.
 */
import { getResponse } from 'msw';
import { handlers } from '../src/mocks/handlers.ts';

export type Upstream = (request: Request) => Promise<Response>;

export const DEMO_ORIGIN = 'http://katapult.mock';

export const liveUpstream: Upstream = (request) => fetch(request);

export const demoUpstream: Upstream = async (request) => {
  const response = await getResponse(handlers, request);
  if (response) return response;
  return Response.json(
    { error: { code: 'route_not_found', description: 'The demo API has no such endpoint.', detail: {} } },
    { status: 404 },
  );
};
