import * as z from 'zod/mini';
import { once } from '../lib/once.ts';

/** Built on first use, not at module load (this module is on the first screen's critical path). */
const info = once(() => z.looseObject({ mode: z.catch(z.enum(['demo', 'live']), 'live') }));

/** The panel server's own description (not a Katapult endpoint): is it answering from the demo mock? */
export async function getPanelInfo(apiBase: string, signal?: AbortSignal) {
  const res = await fetch(`${apiBase}/_panel/config`, { signal, headers: { Accept: 'application/json' } });
  if (!res.ok) return { mode: 'live' as const };
  const parsed = z.safeParse(info(), await res.json().catch(() => ({})));
  return parsed.success ? parsed.data : { mode: 'live' as const };
}
