/**
 * The iframe follows the portal's own theme switch: the portal posts
 * `{ type: 'katapult-panel:theme', theme: 'light' | 'dark' | 'system' }` to the frame. Only origins in
 * the server's FRAME_ANCESTORS are heard (the same list that may frame the panel; `'self'` is the
 * panel's own origin), read from /api/_panel/config when the first message arrives.
 */
export const THEME_MESSAGE = 'katapult-panel:theme';
type Mode = 'light' | 'dark' | 'system';

/** Whether `origin` is one of the CSP frame-ancestors sources (`'self'`, `https://a.example`, `https://*.example`). */
export function originAllowed(origin: string, sources: readonly string[], self: string): boolean {
  return sources.some((s) => {
    if (s === "'self'") return origin === self;
    if (s.startsWith("'")) return false;
    const wildcard = /^(https?:\/\/)\*\.(.+)$/.exec(s);
    if (wildcard) return origin.startsWith(wildcard[1]!) && origin.endsWith(`.${wildcard[2]!.replace(/\/$/, '')}`);
    try {
      return new URL(s).origin === origin;
    } catch {
      return false;
    }
  });
}

export function listenForPortalTheme(apiBase: string, onTheme: (mode: Mode) => void): () => void {
  let sources: Promise<string[]> | undefined;
  const allowed = () =>
    (sources ??= fetch(`${apiBase}/_panel/config`, { headers: { accept: 'application/json' } })
      .then((r) => r.json() as Promise<{ frame_ancestors?: unknown }>)
      .then((c) => (Array.isArray(c.frame_ancestors) ? c.frame_ancestors.filter((x): x is string => typeof x === 'string') : []))
      .catch(() => []));
  const onMessage = (e: MessageEvent) => {
    const data = e.data as { type?: unknown; theme?: unknown } | null;
    if (!data || data.type !== THEME_MESSAGE || (data.theme !== 'light' && data.theme !== 'dark' && data.theme !== 'system')) return;
    const theme = data.theme;
    void allowed().then((list) => {
      if (originAllowed(e.origin, list, location.origin)) onTheme(theme);
    });
  };
  window.addEventListener('message', onMessage);
  return () => window.removeEventListener('message', onMessage);
}
