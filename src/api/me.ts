/** The panel server's `GET /api/panel/me`: who it takes the user to be, and whether it lets them change speed profiles. */
import { queryOptions } from '@tanstack/react-query';
import * as z from 'zod/mini';
import { request, type ApiClient } from './client.ts';

const me = z.looseObject({
  user: z.nullable(z.string()),
  groups: z.array(z.string()),
  may_change: z.boolean(),
  reason: z.nullable(z.string()),
});

/** Who the server takes the user to be, and whether it lets them change speed profiles (it decides; the UI shows it). */
export const meOptions = (api: ApiClient) =>
  queryOptions({
    queryKey: ['panel-me'] as const,
    queryFn: ({ signal }) => request(api.GET('/panel/me', { signal }), me, 'who you are to the panel’s server'),
    staleTime: 5 * 60_000,
  });
