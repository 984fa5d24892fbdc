import { queryOptions } from '@tanstack/react-query';
import * as z from 'zod/mini';

const info = z.looseObject({ mode: z.catch(z.enum(['demo', 'live']), 'live') });

/** The panel server's own description (not a Katapult endpoint): is it answering from the demo mock? */
export async function getPanelInfo(apiBase: string, signal?: AbortSignal) {
  const res = await fetch(`${apiBase}/_panel/config`, { signal, headers: { Accept: 'application/json' } });
  if (!res.ok) return { mode: 'live' as const };
  const parsed = z.safeParse(info, await res.json().catch(() => ({})));
  return parsed.success ? parsed.data : { mode: 'live' as const };
}

export const panelInfoOptions = (apiBase: string) =>
  // The server's mode does not change while the page is open.
  queryOptions({ queryKey: ['panel-info', apiBase], queryFn: ({ signal }) => getPanelInfo(apiBase, signal), staleTime: Infinity });
