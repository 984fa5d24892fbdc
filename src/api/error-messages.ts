/**
 * What each Katapult error code means for a support engineer, and what to do about it.
 * One entry per code in the seed pages; unknown codes and unexpected answers fall back to
 * the HTTP status and Katapult's own description.
 */
import type { ApiError } from './api-error.ts';

export interface ErrorWording {
  title: string;
  advice: string;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const obj = (v: unknown): Record<string, unknown> | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

export const formatDate = (unixSeconds: number, locale?: string) =>
  new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(unixSeconds * 1000));

const WORDING: Record<string, (e: ApiError) => ErrorWording> = {
  missing_api_token: () => ({
    title: 'The panel’s server sent no API token to Katapult',
    advice: 'The server is missing KATAPULT_API_TOKEN (or, when embedded, the portal gave no token). Ask whoever runs the panel to configure it.',
  }),
  invalid_api_token: () => ({
    title: 'Katapult rejected the API token',
    advice: 'The token does not exist or has expired. Ask whoever runs the panel to issue a new token and restart the server.',
  }),
  scope_not_granted: () => ({
    title: 'The API token is not allowed to do this',
    advice: 'The token lacks the "virtual_machines" scope (or the scope this action needs). Ask for a token with that scope.',
  }),
  invalid_capabilities_token: () => ({
    title: 'Katapult rejected the capabilities token',
    advice: 'It is invalid, expired or signed by the wrong key. Sign in again to the portal, then retry.',
  }),
  unauthorized_network_for_api_token: (e) => {
    const ip = str(e.detail.ip_address) ?? str(e.detail.ip);
    return {
      title: 'This API token may not be used from this network',
      advice: `Katapult saw the request come from ${ip ?? 'an address it did not report'}. Add that address to the token’s allowed networks, or run the panel from an allowed network.`,
    };
  },
  virtual_machine_not_found: () => ({
    title: 'No virtual machine matches what you typed',
    advice: 'Check the VM id (vm_…) or FQDN, and that it belongs to an organization this token can see.',
  }),
  network_not_found: () => ({
    title: 'No network matches what you typed',
    advice: 'Check the network id (netw_… or net_…) or permalink, or pick one of the VM’s networks.',
  }),
  interface_not_found: () => ({
    title: 'This VM has no interface on that network',
    advice: 'The VM exists and so does the network, but they are not connected. Pick one of the networks the VM is on.',
  }),
  object_in_trash: (e) => {
    const t = obj(e.detail.trash_object);
    const type = str(t?.object_type)?.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase() ?? 'object';
    const id = str(t?.object_id);
    const until = num(t?.keep_until);
    return {
      title: `The ${type} is in the trash`,
      advice: `${id ? `${id} is` : 'It is'} in the trash${until !== undefined ? ` and will be deleted for good on ${formatDate(until)}` : ''}. Restore it from the trash first if the customer still needs it.`,
    };
  },
  rate_limit_reached: (e) => {
    const n = num(e.detail.total_permitted);
    return {
      title: 'Katapult’s rate limit was reached',
      advice: `The API token may make ${n !== undefined ? `${n} requests` : 'only a limited number of requests'} a minute. Wait a little; the panel retries by itself.`,
    };
  },
  service_unavailable: () => ({
    title: 'Katapult is unavailable right now',
    advice: 'This is on Katapult’s side and usually passes quickly. Try again in a minute.',
  }),
  virtual_machine_network_interface_not_found: () => ({
    title: 'The interface no longer exists',
    advice: 'It may have been removed since you looked it up. Look the VM up again.',
  }),
  network_speed_profile_not_found: () => ({
    title: 'That speed profile does not exist',
    advice: 'It may have been removed, or is not available to this organization. Pick another profile.',
  }),
  task_queueing_error: (e) => ({
    title: 'Katapult could not queue the change',
    advice: `${str(e.detail.details) ? `Katapult said: “${str(e.detail.details)}”. ` : ''}Nothing was changed. Try again in a minute; if it persists, escalate to Katapult.`,
  }),
  speed_profile_already_assigned: () => ({
    title: 'The interface already has that speed profile',
    advice: 'Someone may have changed it in the meantime. The card has been refreshed: check the current profile.',
  }),
  task_not_found: () => ({
    title: 'Katapult no longer knows this task',
    advice: 'It may be too old. Look the interface up again to see its current speed profile.',
  }),
  upstream_timeout: () => ({
    title: 'Katapult did not answer in time',
    advice: 'The panel’s server gave up waiting. Try again; if it keeps happening, Katapult may be slow.',
  }),
  upstream_unreachable: () => ({
    title: 'The panel’s server could not reach Katapult',
    advice: 'Check the server’s network and KATAPULT_API_URL, then try again.',
  }),
};

export function wordingFor(e: ApiError): ErrorWording {
  if (e.kind === 'network') {
    return {
      title: 'The panel could not reach its server',
      advice: 'Check your connection (or VPN) and try again. Nothing was changed.',
    };
  }
  if (e.kind === 'unexpected') {
    return {
      title: `Unexpected response (HTTP ${e.status})`,
      advice: `${e.description ?? 'The answer was not from Katapult (a proxy error page, perhaps).'} Try again; if it persists, tell whoever runs the panel.`,
    };
  }
  const known = e.code ? WORDING[e.code] : undefined;
  if (known) return known(e);
  return {
    title: `Katapult answered with an error (HTTP ${e.status})`,
    advice: e.description ?? 'Katapult gave no description.',
  };
}

/** The label staff paste into tickets: the Katapult code, or the HTTP status. */
export const errorLabel = (e: ApiError) =>
  e.kind === 'network' ? 'network error' : e.code ? `${e.code} · HTTP ${e.status}` : `HTTP ${e.status}`;
