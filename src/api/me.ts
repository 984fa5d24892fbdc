/** The panel server's `GET /api/panel/me`: who it takes the user to be, and whether it lets them change speed profiles. */
import { queryOptions } from '@tanstack/react-query';
import { panelMeSchema } from '../../protocol/panel.ts';
import { request, type ApiClient } from './client.ts';

/** Who the server takes the user to be, and whether it lets them change speed profiles (it decides; the UI shows it). */
export const meOptions = (api: ApiClient) =>
  queryOptions({
    queryKey: ['panel-me'] as const,
    queryFn: ({ signal }) => request(api.GET('/panel/me', { signal }), panelMeSchema, 'who you are to the panel’s server'),
    staleTime: 5 * 60_000,
  });
