/**
 * Upstreams that are not Katapult: the embedded MSW mock (demo mode) and the stand-ins tests
 * inject, both functions from a Fetch Request to a Response. `serveUpstream` puts one behind a
 * real HTTP listener on loopback, so the proxy reaches it exactly as it reaches Katapult (same
 * undici agent, deadlines, size cap and abort paths). That listener answers only its own address
 * as Host, and in demo mode serves the API alone: the mock's controls are reached in-process.
 */
import { getResponse, type RequestHandler } from 'msw';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { apiHandlers, handlers } from '../mock/handlers.ts';

export type Upstream = (request: Request) => Promise<Response>;

/** Origin the demo mock is addressed at; its handlers match by path suffix, so any origin works. */
export const DEMO_ORIGIN = 'http://katapult.mock';

/** A Fetch handler over these msw handlers; unknown paths answer Katapult's 404 route_not_found. */
const mockUpstream =
  (list: RequestHandler[]): Upstream =>
  async (request) => {
    const response = await getResponse(list, request);
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

/** The whole mock, controls included: called in-process only (plugins/demo-mock.ts mounts the controls). */
export const demoUpstream: Upstream = mockUpstream(handlers);
/** Katapult's API alone, without /__mock/*: what the loopback listener serves in demo mode. */
export const demoApi: Upstream = mockUpstream(apiHandlers);

/**
 * Serves `upstream` on 127.0.0.1 (random port). Requests reach it as `origin` + path, so it sees
 * the URL it was configured for; a thrown error closes the connection (a network failure), and a
 * client that goes away aborts the request's signal.
 */
export async function serveUpstream(upstream: Upstream, origin: string): Promise<{ url: string; close: () => Promise<void> }> {
  let self = '';
  const server = createServer((req, res) => {
    // The proxy addresses it as 127.0.0.1:<port>; any other Host (a page rebinding a name to
    // loopback) is refused, as the panel's own host guard does.
    if (req.headers.host !== self) {
      res.writeHead(421, { 'content-type': 'application/json; charset=utf-8', connection: 'close' });
      res.end(JSON.stringify({ error: { code: 'host_not_allowed', description: 'Misdirected request.', detail: {} } }));
      return;
    }
    const controller = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) controller.abort(new DOMException('The client went away', 'AbortError'));
    });
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) {
        if (k !== 'host' && v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
      }
      const method = req.method ?? 'GET';
      const body = method === 'GET' || method === 'HEAD' || chunks.length === 0 ? null : Buffer.concat(chunks);
      const response = await upstream(new Request(origin + (req.url ?? '/'), { method, headers, body, signal: controller.signal }));
      res.writeHead(response.status, Object.fromEntries(response.headers));
      const reader = response.body?.getReader();
      for (let r = await reader?.read(); r && !r.done; r = await reader?.read()) {
        if (!res.write(r.value)) await once(res, 'drain');
      }
      res.end();
    })().catch(() => res.destroy());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  self = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `http://${self}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
