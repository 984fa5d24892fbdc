import * as z from 'zod/mini';

/** Built on first use, not at module load (this module is on the first screen's critical path). */
const buildInfo = () => z.looseObject({ mode: z.catch(z.enum(['demo', 'live']), 'live') });
let info: ReturnType<typeof buildInfo> | undefined;

/** The panel server's own description (not a Katapult endpoint): is it answering from the demo mock? */
export async function getPanelInfo(apiBase: string, signal?: AbortSignal) {
  const res = await fetch(`${apiBase}/_panel/config`, { signal, headers: { Accept: 'application/json' } });
  if (!res.ok) return { mode: 'live' as const };
  const parsed = z.safeParse((info ??= buildInfo()), await res.json().catch(() => ({})));
  return parsed.success ? parsed.data : { mode: 'live' as const };
}
