/**
 * The one wording table: for each error code a title (what happened) and one sentence on what to
 * do, worded for the context the error happened in: a read (lookups, lists, task polls, which the
 * panel retries by itself) or a change (the PATCH, which is never resent by itself). Unknown codes
 * and unexpected answers fall back to the HTTP status. Katapult's own description is not repeated
 * here: the alert shows it under "Details".
 */
import type { ApiError } from './api-error.ts';
import { formatRelative } from '../lib/time.ts';

export interface ErrorWording {
  title: string;
  /** One sentence: what to do. */
  advice: string;
}

/** Where the error happened: a read is retried by the panel itself; a change never is. */
export type ErrorContext = 'read' | 'change';

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

type Wording = (e: ApiError, context: ErrorContext, locale: string | undefined) => ErrorWording;

/** A change that may or may not have reached Katapult: the card is fetched again (see changeOutcomeUnknown). */
const CHANGE_UNKNOWN = 'It is not known whether Katapult received the change: the card has been refreshed, so check the current speed profile before trying again.';

const perMinute = (e: ApiError) => {
  const n = num(e.detail.total_permitted);
  return n !== undefined ? `${n} requests` : 'a limited number of requests';
};

const WORDING: Record<string, Wording> = {
  missing_api_token: () => ({
    title: 'The panel’s server sent no API token to Katapult',
    advice: 'Ask whoever runs the panel to set KATAPULT_API_TOKEN (or, when embedded, to make the portal pass a token).',
  }),
  invalid_api_token: () => ({
    title: 'Katapult rejected the API token',
    advice: 'The token does not exist or has expired: ask whoever runs the panel for a new one.',
  }),
  scope_not_granted: () => ({
    title: 'The API token is not allowed to do this',
    advice: 'Ask whoever runs the panel for a token with the “virtual_machines” scope.',
  }),
  invalid_capabilities_token: () => ({
    title: 'Katapult rejected the capabilities token',
    advice: 'Sign in to the portal again, then retry.',
  }),
  unauthorized_network_for_api_token: (e) => ({
    title: 'This API token may not be used from this network',
    advice: `Add ${str(e.detail.ip_address) ?? str(e.detail.ip) ?? 'the panel server’s address'} to the token’s allowed networks, or run the panel from an allowed network.`,
  }),
  virtual_machine_not_found: () => ({
    title: 'No virtual machine matches what you typed',
    advice: 'Check the VM id (vm_…) or FQDN, and that its organization is one this token can see.',
  }),
  network_not_found: () => ({
    title: 'No network matches what you typed',
    advice: 'Check the network id (netw_… or net_…) or permalink, or pick one of the VM’s networks.',
  }),
  interface_not_found: () => ({
    title: 'This VM has no interface on that network',
    advice: 'Pick one of the networks the VM is on.',
  }),
  object_in_trash: (e, _context, locale) => {
    const t = obj(e.detail.trash_object);
    const type = str(t?.object_type);
    const id = str(t?.object_id);
    const until = num(t?.keep_until);
    const when = until !== undefined ? ` until ${formatDate(until, locale)} (${formatRelative(until, Date.now(), locale)})` : '';
    return {
      title: `The ${type ? humanType(type) : 'object'} is in the trash`,
      advice: `${id ? `${id} is` : 'It is'} in Katapult’s trash${when}: restore it there first if the customer still needs it.`,
    };
  },
  rate_limit_reached: (e, context) =>
    context === 'change'
      ? {
          title: 'Katapult’s rate limit was reached: the change was not sent',
          advice: `The API token may make ${perMinute(e)} a minute: wait a minute, then confirm the change again.`,
        }
      : {
          title: 'Katapult’s rate limit was reached',
          advice: `The API token may make ${perMinute(e)} a minute: the panel waits and tries again by itself.`,
        },
  service_unavailable: (_e, context) =>
    context === 'change'
      ? { title: 'Katapult is unavailable right now: the change was not made', advice: 'Try the change again in a minute.' }
      : { title: 'Katapult is unavailable right now', advice: 'Try again in a minute; nothing was changed.' },
  validation_error: () => ({
    title: 'Katapult refused the request as invalid',
    advice: 'This is likely a bug in the panel: tell whoever runs it, with the code below.',
  }),
  organization_not_found: () => ({
    title: 'Katapult does not know the VM’s organization',
    advice: 'Look the VM up again; if it persists, escalate to Katapult.',
  }),
  virtual_machine_network_interface_not_found: () => ({
    title: 'The interface no longer exists',
    advice: 'Look the VM up again.',
  }),
  network_speed_profile_not_found: () => ({
    title: 'That speed profile does not exist',
    advice: 'Pick another profile.',
  }),
  task_queueing_error: () => ({
    title: 'Katapult could not queue the change',
    advice: 'Nothing was changed: try again in a minute, and escalate to Katapult if it persists.',
  }),
  speed_profile_already_assigned: () => ({
    title: 'The interface already has that speed profile',
    advice: 'The card has been refreshed: check the current profile.',
  }),
  task_not_found: () => ({
    title: 'Katapult no longer knows this task',
    advice: 'Look the interface up again to see its current speed profile.',
  }),
  upstream_timeout: (_e, context) =>
    context === 'change'
      ? { title: 'Katapult did not answer the change in time', advice: CHANGE_UNKNOWN }
      : { title: 'Katapult did not answer in time', advice: 'Try again; if it keeps happening, Katapult may be slow.' },
  upstream_unreachable: () => ({
    title: 'The panel’s server could not reach Katapult',
    advice: 'Check the server’s network and KATAPULT_API_URL, then try again.',
  }),
  audit_unavailable: (_e, context) =>
    context === 'change'
      ? {
          title: 'The audit log is unavailable: the change was not made',
          advice: 'Every change is recorded before it is sent, and this one could not be, so nothing was sent to Katapult: tell whoever runs the panel that its audit database is not answering.',
        }
      : {
          title: 'The audit log is unavailable',
          advice: 'The panel’s server cannot reach its audit database: tell whoever runs the panel (speed changes are refused until it is back).',
        },
  ip_address_not_found: () => ({
    title: 'Katapult has no IP address like this',
    advice: 'Check the address in the ticket (IPv4 or IPv6, no mask), or look the VM up by its id or FQDN.',
  }),
  ip_address_not_allocated: (e) => ({
    title: `${str(e.detail.address) ?? 'This IP address'} is not allocated to anything`,
    advice: 'No VM holds it, so there is no interface to show: check the address in the ticket.',
  }),
  ip_address_not_on_a_vm: (e) => ({
    title: `${str(e.detail.address) ?? 'This IP address'} is allocated to ${humanType(str(e.detail.allocation_type) ?? 'something else')}${str(e.detail.allocation_name) ? ` ${str(e.detail.allocation_name)}` : ''}, not to a virtual machine`,
    advice: 'The panel shows VM interfaces only: look the owner up in Katapult’s console.',
  }),
  ip_address_without_network: (e) => ({
    title: `Katapult does not say which network ${str(e.detail.address) ?? 'this IP address'} is on`,
    advice: `Look the VM${str(e.detail.vm) ? ` (${str(e.detail.vm)})` : ''} up with its network instead.`,
  }),
  change_in_progress: (e, _context, locale) => {
    const to = obj(e.detail.to_profile);
    const since = str(e.detail.started_at);
    return {
      title: `${str(e.detail.user) ?? 'Someone'} is already changing this interface${to ? ` to ${str(to.name) ?? str(to.permalink) ?? str(to.id) ?? 'another profile'}` : ''}`,
      advice: `Only one change at a time: nothing was sent. Wait for that change${since ? ` (started ${formatRelative(Date.parse(since) / 1000, Date.now(), locale)})` : ''} to end, then check the card before changing again.`,
    };
  },
  change_not_permitted: () => ({
    title: 'You may not change speed profiles',
    advice: 'Nothing was sent to Katapult. Ask a member of a group allowed to change bandwidth, or whoever runs the panel.',
  }),
  invalid_audit_filter: () => ({
    title: 'The audit log cannot be filtered that way',
    advice: 'Correct the filter and search again.',
  }),
};

export function wordingFor(e: ApiError, context: ErrorContext = 'read', locale?: string): ErrorWording {
  if (e.kind === 'network') {
    return context === 'change'
      ? { title: 'The connection was lost while sending the change', advice: CHANGE_UNKNOWN }
      : { title: 'The panel could not reach its server', advice: 'Check your connection (or VPN) and try again; nothing was changed.' };
  }
  if (e.kind === 'unexpected') {
    const status = [e.status, statusText(e.status)].filter(Boolean).join(' ');
    return context === 'change'
      ? { title: `Unexpected response to the change (HTTP ${status})`, advice: CHANGE_UNKNOWN }
      : { title: `Unexpected response (HTTP ${status})`, advice: 'Try again; if it persists, tell whoever runs the panel.' };
  }
  const known = e.code ? WORDING[e.code] : undefined;
  if (known) return known(e, context, locale);
  return {
    title: `Katapult answered with an error the panel does not know (HTTP ${e.status})`,
    advice: 'Try again; if it persists, escalate to Katapult with the code.',
  };
}

/** Codes the panel's own server answers with (its audit log), not Katapult: their description is the server's. */
const PANEL_SERVER_CODES = new Set([
  'audit_unavailable',
  'invalid_audit_filter',
  'change_in_progress',
  'change_not_permitted',
  'ip_address_not_allocated',
  'ip_address_not_on_a_vm',
  'ip_address_without_network',
]);

/** Katapult's own words about the error, shown under "Details": its description and any details it gave. */
export function katapultDetails(e: ApiError): string[] {
  if (e.kind === 'unexpected') {
    const body = snippetText(e.bodySnippet);
    return [e.description, body ? `The answer began: “${body}”` : undefined].filter((x): x is string => !!x);
  }
  const errors = Array.isArray(e.detail.errors) ? e.detail.errors.filter((x): x is string => typeof x === 'string') : [];
  const speaker = e.code && PANEL_SERVER_CODES.has(e.code) ? 'The panel’s server' : 'Katapult';
  return [
    e.description ? `${speaker}: “${e.description}”` : undefined,
    str(e.detail.details) ? `Katapult said: “${str(e.detail.details)}”` : undefined,
    ...errors.map((x) => `Katapult said: “${x}”`),
  ].filter((x): x is string => !!x);
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

/** Whether the change may have happened despite the error, so the card should be fetched again. */
export const changeOutcomeUnknown = (e: ApiError) =>
  e.kind === 'network' || e.kind === 'unexpected' || e.code === 'upstream_timeout' || e.status === 504;
