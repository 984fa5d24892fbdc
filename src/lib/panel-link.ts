/**
 * The link to an interface for a ticket: `?vm=&network=` (or `?ip=`) on the panel's own page, never
 * `&task=` (a task ends; the interface stays); `org=` first when the VM was found by name in an
 * organization, so the link opens the form as it was. The panel's page is where its API is served from.
 */
export type LinkTarget = { ip: string } | { org?: string | undefined; vm: string; network: string };

export function panelLink(target: LinkTarget, apiBase: string, here: string = globalThis.location?.href ?? 'http://localhost/'): string {
  const page = new URL(apiBase.replace(/api\/?$/, ''), here);
  page.search = new URLSearchParams(
    'ip' in target ? { ip: target.ip } : { ...(target.org ? { org: target.org } : {}), vm: target.vm, network: target.network },
  ).toString();
  page.hash = '';
  return page.toString();
}
