/** What a change request tells the audit: who sent it (only from a trusted header) and what the panel saw. */
import type { IncomingHttpHeaders } from 'node:http';
import * as z from 'zod';
import { TASK_STATUSES } from '../../protocol/katapult.ts';
import { CHANGE_CONTEXT_HEADER as PANEL_CHANGE_CONTEXT_HEADER } from '../../protocol/panel.ts';
import { splitGroups } from './config.ts';

/** Node gives header names in lower case. */
export const CHANGE_CONTEXT_HEADER = PANEL_CHANGE_CONTEXT_HEADER.toLowerCase();
const MAX_CONTEXT_BYTES = 2048;
export const UNKNOWN_USER = 'unknown';

/** Demo mode's readable name for a browser's session (demo-user.ts); never used in live mode. */
export type DemoUser = (headers: IncomingHttpHeaders) => string;

/**
 * Control characters (a NUL, a tab, a newline, C1 codes) and the bidirectional overrides that could
 * make recorded text read differently than it is: each run becomes one space. Recorded text and
 * audit filters never hold them (PostgreSQL refuses a NUL in text outright).
 */
export const CONTROL_CHARACTERS = /[\p{Cc}\u202a-\u202e\u2066-\u2069]+/gu;
export const withoutControls = (text: string) => text.replace(CONTROL_CHARACTERS, ' ').trim();
export const hasControls = (text: string) => new RegExp(CONTROL_CHARACTERS.source, 'u').test(text);
/** An identifier or code from Katapult as recorded: one with a control character is not taken at all. */
const printable = z.string().min(1).refine((v) => !hasControls(v));

/**
 * The member of staff, from the header the portal's reverse proxy sets, only when the server is
 * configured to trust it; otherwise (whatever the browser sent) "unknown", or in demo mode the
 * session's demo name.
 */
export function userOf(headers: IncomingHttpHeaders, trustedHeader: string | undefined, demoUser?: DemoUser): string {
  if (!trustedHeader) return demoUser?.(headers) ?? UNKNOWN_USER;
  const raw = headers[trustedHeader];
  const given = Array.isArray(raw) ? raw[0] : raw;
  const value = given === undefined ? undefined : withoutControls(given);
  return value && value.length <= 320 ? value : UNKNOWN_USER;
}

const MAX_GROUPS_HEADER = 4096;
const MAX_GROUP = 200;

/**
 * The member's groups, from the header the portal's reverse proxy sets (comma- or space-separated),
 * under the same rule as the user: only when the server is configured to trust it; otherwise none.
 */
export function groupsOf(headers: IncomingHttpHeaders, trustedHeader: string | undefined): string[] {
  if (!trustedHeader) return [];
  const raw = headers[trustedHeader];
  const value = Array.isArray(raw) ? raw.join(',') : raw;
  if (!value || value.length > MAX_GROUPS_HEADER) return [];
  return [...new Set(splitGroups(value).filter((g) => g.length <= MAX_GROUP))];
}

const field = z
  .string()
  .max(400)
  .transform((v) => withoutControls(v) || undefined)
  .optional()
  .catch(undefined);
const contextSchema = z.object({
  vm_id: field,
  vm_name: field,
  network_id: field,
  network_name: field,
  from_profile_id: field,
  from_profile_name: field,
  to_profile_name: field,
});
export type ChangeContext = z.infer<typeof contextSchema>;

/** `encodeURIComponent(JSON.stringify({...}))` from the panel; anything malformed is ignored, never an error. */
export function changeContextOf(headers: IncomingHttpHeaders): ChangeContext {
  const raw = headers[CHANGE_CONTEXT_HEADER];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (!value || value.length > MAX_CONTEXT_BYTES) return {};
  try {
    const r = contextSchema.safeParse(JSON.parse(decodeURIComponent(value)));
    return r.success ? r.data : {};
  } catch {
    return {};
  }
}

/** The interface as Katapult answers GET …/virtual_machine_network_interface (only what the record keeps). */
const named = z.object({ id: z.string().optional(), name: z.string().optional() }).nullish();
export const interfaceAnswer = z.object({
  virtual_machine_network_interface: z.object({
    virtual_machine: named,
    network: named,
    virtual_network: named,
    // The permalink too: the follower settles a change named by permalink on it.
    speed_profile: z.object({ id: z.string().optional(), name: z.string().optional(), permalink: z.string().optional() }).nullish(),
  }),
});

/** The VM as Katapult answers GET /virtual_machines/virtual_machine: only its organization. */
export const virtualMachineAnswer = z.object({
  virtual_machine: z.object({ organization: z.object({ id: z.string().min(1) }) }),
});

/** One page of GET /organizations/organization/network_speed_profiles (only what the record keeps). */
export const speedProfilesPage = z.object({
  network_speed_profiles: z.array(z.object({ id: z.string().optional(), name: z.string().optional(), permalink: z.string().optional() })),
  pagination: z.object({ total_pages: z.number().nullish() }).optional(),
});

/** A task's progress as recorded: a number rounded and held to 0–100; anything else is no progress (null). */
export const taskProgress = (p: unknown): number | null =>
  typeof p === 'number' && Number.isFinite(p) ? Math.max(0, Math.min(100, Math.round(p))) : null;

/** A task answer ({task: {id, status, progress}}) as relayed from GET /tasks/task or the PATCH, or as the follower reads it. */
export const taskAnswer = z.object({
  task: z.object({ id: printable, status: z.enum(TASK_STATUSES).optional(), progress: z.unknown().optional().transform(taskProgress) }),
});

/** The Katapult error envelope (wrapped, as the live API sends it, or bare as in its docs). */
export const errorAnswer = z.union([
  z.object({ error: z.object({ code: printable }) }).transform((e) => e.error.code),
  z.object({ code: printable }).transform((e) => e.code),
]);
