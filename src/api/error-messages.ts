/**
 * What each Katapult error code means for a support engineer, and what to do about it.
 * One entry per code in the seed pages; unknown codes and unexpected answers fall back to
 * the HTTP status and Katapult's own description.
 */
import type { ApiError } from './api-error.ts';
import { formatRelative } from '../lib/time.ts';

export interface ErrorWording {
  title: string;
  advice: string;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const obj = (v: unknown): Record<string, unknown> | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

/** A Unix timestamp as a date and time in the user's own time zone (and locale, unless given). */
export const formatDate = (unixSeconds: number, locale?: string) =>
  new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(unixSeconds * 1000));

/** `VirtualMachine` → `virtual machine`. */
const humanType = (t: string) => t.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/_/g, ' ').toLowerCase();

/** The readable text of a body that was not a Katapult error (an HTML error page becomes its text). */
export function snippetText(snippet: string | undefined): string | undefined {
  if (!snippet) return undefined;
  const text = /^\s*</.test(snippet)
    ? snippet
        .replace(/<(script|style|title)[^>]*>[\s\S]*?(<\/\1>|$)/gi, ' ')
        .replace(/<[^>]*>?/g, ' ')
        .replace(/&nbsp;/g, ' ')
        .replace(/&amp;/g, '&')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
    : snippet;
  const collapsed = text.replace(/\s+/g, ' ').trim();
  return collapsed === '' ? undefined : collapsed.slice(0, 160);
}

const WORDING: Record<string, (e: ApiError, locale: string | undefined) => ErrorWording> = {
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
    advice: 'The token lacks the “virtual_machines” scope (or the scope this action needs). Ask whoever runs the panel for a token with that scope.',
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
  object_in_trash: (e, locale) => {
    const t = obj(e.detail.trash_object);
    const type = str(t?.object_type);
    const what = type ? humanType(type) : 'object';
    const id = str(t?.object_id);
    const until = num(t?.keep_until);
    return {
      title: `The ${what} is in the trash`,
      advice: `${id ? `${id} is` : 'It is'} in Katapult’s trash${
        until !== undefined ? ` until ${formatDate(until, locale)} (${formatRelative(until, Date.now(), locale)}), when it will be deleted for good` : ''
      }. While it is there it cannot be looked up or changed: restore it from the trash first if the customer still needs it.`,
    };
  },
  rate_limit_reached: (e) => {
    const n = num(e.detail.total_permitted);
    return {
      title: 'Katapult’s rate limit was reached',
      advice: `The panel’s API token may make ${n !== undefined ? `${n} requests` : 'only a limited number of requests'} a minute, and has used them up. Wait a little before trying again.`,
    };
  },
  service_unavailable: () => ({
    title: 'Katapult is unavailable right now',
    advice: 'This is on Katapult’s side (maintenance or an outage) and usually passes quickly. Try again in a minute; nothing was changed.',
  }),
  validation_error: (e) => {
    const errors = Array.isArray(e.detail.errors) ? e.detail.errors.filter((x): x is string => typeof x === 'string') : [];
    return {
      title: 'Katapult refused the request as invalid',
      advice: `${errors.length > 0 ? `Katapult said: ${errors.map((x) => `“${x}”`).join(', ')}. ` : ''}This is likely a bug in the panel: tell whoever runs it, with the code below.`,
    };
  },
  organization_not_found: () => ({
    title: 'Katapult does not know the VM’s organization',
    advice: 'The VM’s organization could not be found, so its speed profiles cannot be listed. Look the VM up again; if it persists, escalate to Katapult.',
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

export function wordingFor(e: ApiError, locale?: string): ErrorWording {
  if (e.kind === 'network') {
    return {
      title: 'The panel could not reach its server',
      advice: 'Check your connection (or VPN) and try again. Nothing was changed.',
    };
  }
  if (e.kind === 'unexpected') {
    return {
      title: `Unexpected response (HTTP ${[e.status, statusText(e.status)].filter(Boolean).join(' ')})`,
      advice: `${e.description ?? 'The answer was not from Katapult: a proxy or gateway error page, perhaps.'} Try again; if it persists, tell whoever runs the panel.`,
    };
  }
  const known = e.code ? WORDING[e.code] : undefined;
  if (known) return known(e, locale);
  return {
    title: `Katapult answered with an error the panel does not know (HTTP ${e.status})`,
    advice: e.description
      ? `Katapult’s description is below. Try again; if it persists, escalate with the code.`
      : 'Katapult gave no description. Try again; if it persists, escalate with the code.',
  };
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  406: 'Not Acceptable',
  408: 'Request Timeout',
  413: 'Payload Too Large',
  414: 'URI Too Long',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};
const statusText = (status: number) => STATUS_TEXT[status] ?? '';

/** The label staff paste into tickets: the Katapult code, or the HTTP status. */
export const errorLabel = (e: ApiError) =>
  e.kind === 'network' ? 'network error' : e.code ? `${e.code} · HTTP ${e.status}` : `HTTP ${e.status}`;

/**
 * Wording for a failed speed-profile change (the PATCH), where it differs from a failed read:
 * the panel does not resend a change by itself, and an answer that never arrived leaves it unknown
 * whether Katapult queued the change.
 */
const CHANGE_UNKNOWN = 'It is not known whether Katapult received the change. The card has been refreshed: check the current speed profile before trying again.';
const CHANGE_WORDING: Record<string, (e: ApiError) => ErrorWording> = {
  rate_limit_reached: (e) => {
    const n = num(e.detail.total_permitted);
    return {
      title: 'Katapult’s rate limit was reached: the change was not sent',
      advice: `The API token may make ${n !== undefined ? `${n} requests` : 'only a limited number of requests'} a minute. Wait a minute, then confirm the change again.`,
    };
  },
  service_unavailable: () => ({
    title: 'Katapult is unavailable right now: the change was not made',
    advice: 'This is on Katapult’s side and usually passes quickly. Try the change again in a minute.',
  }),
  upstream_timeout: () => ({ title: 'Katapult did not answer the change in time', advice: CHANGE_UNKNOWN }),
};

export function changeWordingFor(e: ApiError): ErrorWording {
  if (e.kind === 'network') return { title: 'The connection was lost while sending the change', advice: CHANGE_UNKNOWN };
  if (e.kind === 'unexpected') {
    return {
      title: `Unexpected response to the change (HTTP ${e.status})`,
      advice: `${e.description ?? 'The answer was not from Katapult (a proxy error page, perhaps).'} ${CHANGE_UNKNOWN}`,
    };
  }
  const own = e.code ? CHANGE_WORDING[e.code] : undefined;
  return own ? own(e) : wordingFor(e);
}

/** Whether the change may have happened despite the error, so the card should be fetched again. */
export const changeOutcomeUnknown = (e: ApiError) =>
  e.kind === 'network' || e.kind === 'unexpected' || e.code === 'upstream_timeout' || e.status === 504;
