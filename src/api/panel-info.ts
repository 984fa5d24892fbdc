/** The panel server's `GET /api/_panel/config`: its mode (demo data or the live API). */
import { queryOptions } from '@tanstack/react-query';
import * as z from 'zod/mini';
import { request, type ApiClient } from './client.ts';

const info = z.looseObject({ mode: z.catch(z.enum(['demo', 'live']), 'live') });

export const panelInfoOptions = (api: ApiClient) =>
  // The server's mode does not change while the page is open.
  queryOptions({
    queryKey: ['panel-info'] as const,
    queryFn: ({ signal }) => request(api.GET('/_panel/config', { signal }), info, 'the panel server’s configuration'),
    staleTime: Infinity,
  });
