/**
 * The typed Katapult client: openapi-fetch over the generated `paths`, plus the one error path.
 * Only src/api knows URLs, headers and envelopes (lint keeps endpoint calls and URLs out of features and the app).
 */
import createClient, { type Middleware } from 'openapi-fetch';
import * as z from 'zod/mini';
import { ApiError, errorFromBody, jsonFromBody, networkError, unexpectedShape } from './api-error.ts';
import type { PanelPaths } from '../../protocol/panel-api.ts';
import { PANEL_HEADER } from '../../protocol/panel.ts';
import type { paths } from './types.ts';

export interface ApiClientOptions {
  /** Where the panel's own server proxies Katapult; default `/api`. */
  baseUrl: string;
  /** Per-user token mode: the host hands the panel a token, kept in memory only. */
  getAccessToken?: (() => string | Promise<string>) | undefined;
}

/** Katapult's endpoints (through the panel's proxy) and the panel server's own, on one client. */
type AllPaths = paths & PanelPaths;
export type ApiClient = ReturnType<typeof createClient<AllPaths>>;

/** The client for one panel instance. */
export function createApiClient({ baseUrl, getAccessToken }: ApiClientOptions): ApiClient {
  const client = createClient<AllPaths>({ baseUrl, headers: { [PANEL_HEADER]: '1', Accept: 'application/json' } });
  // Per-user token mode: the host's token is asked for on every request, so a refreshed one is used.
  if (getAccessToken) {
    client.use({
      async onRequest({ request }) {
        const token = await getAccessToken();
        if (token) request.headers.set('Authorization', `Bearer ${token}`);
        return request;
      },
    });
  }
  const middleware: Middleware = {
    async onResponse({ response, options }) {
      const text = await response.clone().text();
      if (!response.ok) throw errorFromBody(response.status, text);
      // A download (the audit's CSV) is read as it is; every other answer must be JSON.
      if (options.parseAs === 'json') jsonFromBody(response.status, text);
      return undefined;
    },
  };
  client.use(middleware);
  return client;
}

const isAbort = (e: unknown) => e instanceof DOMException && e.name === 'AbortError';

/**
 * Awaits an openapi-fetch call and checks the part of the body the UI needs with a guard.
 * Whatever goes wrong comes out as an ApiError (or the AbortError React Query expects).
 */
export async function request<G extends z.core.$ZodType>(
  call: Promise<{ data?: unknown; response: Response }>,
  guard: G,
  what: string,
): Promise<z.infer<G>> {
  let result: { data?: unknown; response: Response };
  try {
    result = await call;
  } catch (e) {
    if (e instanceof ApiError || isAbort(e)) throw e;
    throw networkError(e);
  }
  const parsed = z.safeParse(guard, result.data);
  if (!parsed.success) throw unexpectedShape(result.response.status, what);
  return parsed.data;
}
