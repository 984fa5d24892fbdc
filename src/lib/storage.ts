/** This tab's sessionStorage, or undefined where there is none or it throws (sandboxed iframes). */
export function sessionStore(): Storage | undefined {
  try {
    return typeof sessionStorage === 'undefined' ? undefined : sessionStorage;
  } catch {
    return undefined;
  }
}

/** A JSON value kept in sessionStorage; `fallback` when absent, unreadable or unavailable. */
export function readSession<T>(key: string, fallback: T): T {
  try {
    const raw = sessionStore()?.getItem(key);
    return raw ? (JSON.parse(raw) as T) : fallback;
  } catch {
    return fallback;
  }
}

/** Writes a JSON value; a full or unavailable storage only loses it for the next reload. */
export function writeSession(key: string, value: unknown) {
  try {
    sessionStore()?.setItem(key, JSON.stringify(value));
  } catch {
    // the in-memory copy still serves this page
  }
}
