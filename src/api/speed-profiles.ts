/** An organization's network speed profiles (what an interface may be changed to). */
import { queryOptions } from '@tanstack/react-query';
import { request, type ApiClient } from './client.ts';
import { guards } from './guards.ts';
import { fetchAllPages, PER_PAGE } from './pages.ts';

export const speedProfileKeys = {
  all: ['speed-profiles'] as const,
  list: (organizationId: string) => [...speedProfileKeys.all, organizationId] as const,
};

/** Every speed profile of the organization: page 1, then the remaining pages in parallel. */
export async function getSpeedProfiles(api: ApiClient, organizationId: string, signal?: AbortSignal) {
  const fetchPage = (n: number) =>
    request(
      api.GET('/organizations/organization/network_speed_profiles', {
        params: { query: { 'organization[id]': organizationId, page: n, per_page: PER_PAGE } },
        signal,
      }),
      guards.speedProfilesPage,
      'a list of network speed profiles',
    );
  return fetchAllPages(fetchPage, (p) => p.network_speed_profiles);
}

export const speedProfilesOptions = (api: ApiClient, organizationId: string) =>
  queryOptions({
    queryKey: speedProfileKeys.list(organizationId),
    queryFn: ({ signal }) => getSpeedProfiles(api, organizationId, signal),
    // An organization's profiles change rarely (an operator adds one): five minutes is fresh enough.
    staleTime: 5 * 60_000,
  });
