/**
 * What the panel, its server and the mock agree on, defined once: the header the panel sends on
 * every call, and Katapult's error envelope (the server answers its own errors in the same shape,
 * so the panel has one error path).
 */
import * as z from 'zod/mini';

/** Sent by the panel on every call; a cross-site form or simple request cannot set it. */
export const PANEL_HEADER = 'X-Katapult-Panel';

export interface KatapultErrorEnvelope {
  error: { code: string; description: string; detail: Record<string, unknown> };
}

/** Katapult's wrapped error body, as the live API sends it. */
export const katapultError = (
  code: string,
  description: string,
  detail: Record<string, unknown> = {},
): KatapultErrorEnvelope => ({ error: { code, description, detail } });

/**
 * The server's answer when Katapult (or a proxy in front of it) answered something other than
 * JSON: HTTP 502 with the upstream's status and a plain-text excerpt in `detail`. The panel shows
 * it as the unexpected answer it was.
 */
export const UPSTREAM_NOT_JSON = 'upstream_not_json';
export interface UpstreamNotJsonDetail {
  status: number;
  content_type: string | null;
  excerpt: string;
}

/**
 * Sent with a speed change: what the panel saw (VM, network, current and target profile), for the
 * server's audit record. The value is `encodeURIComponent(JSON.stringify(context))`; the server
 * validates it and ignores it when malformed.
 */
export const CHANGE_CONTEXT_HEADER = 'X-Panel-Change-Context';
/** Sent with a "Change back" PATCH: the audit id of the change it undoes; the server refuses it when no longer possible. */
export const CHANGE_BACK_HEADER = 'X-Panel-Change-Back';
export interface ChangeContext {
  vm_id?: string | undefined;
  vm_name?: string | undefined;
  network_id?: string | undefined;
  network_name?: string | undefined;
  from_profile_id?: string | undefined;
  from_profile_name?: string | undefined;
  to_profile_name?: string | undefined;
}
export const encodeChangeContext = (c: ChangeContext) => encodeURIComponent(JSON.stringify(c));

/**
 * GET /api/panel/me: who the server takes the member of staff to be (from the portal's trusted
 * headers; `user` null when none is configured or sent) and whether they may change speed profiles.
 */
export const ME_PATH = '/api/panel/me';
export const panelMeSchema = z.object({
  user: z.nullable(z.string()),
  groups: z.array(z.string()),
  may_change: z.boolean(),
  /** Why not, in words for the screen; null when `may_change`. */
  reason: z.nullable(z.string()),
  /** The groups whose members may change (CHANGE_GROUPS); null when everyone may. */
  change_groups: z.nullable(z.array(z.string())),
});
export type PanelMe = z.infer<typeof panelMeSchema>;

/** 403 to a speed change by someone outside CHANGE_GROUPS; nothing was forwarded to Katapult. */
export const CHANGE_NOT_PERMITTED = 'change_not_permitted';
export interface ChangeNotPermittedDetail {
  user: string | null;
  groups: string[];
  change_groups: string[];
}
