/**
 * What may be chosen in the "Speed profile" field, and how the choice is sent.
 * The field is a combobox: pick a profile from the list (sent by id), or type a profile's
 * permalink such as `10gbps` (sent by permalink, as the user asked for it). Typing a name or an
 * `nsp_…` id also works (sent by id). The schema is the single statement of what is valid.
 */
import * as z from 'zod/mini';
import type { SpeedProfile, SpeedProfileLookup } from '../../api/types.ts';

export interface ChangeFormValues {
  /** What is in the combobox's text box. */
  text: string;
  /** The id of the option picked from the list; cleared as soon as the text is edited. */
  pickedId: string | null;
}

export interface ResolvedChange {
  profile: SpeedProfile;
  /** What the PATCH sends as `speed_profile`: exactly one of id or permalink. */
  lookup: SpeedProfileLookup;
  by: 'id' | 'permalink';
}

type Resolved = { ok: true; value: ResolvedChange } | { ok: false; message: string };

const lower = (s: string | undefined) => s?.toLowerCase();

export function resolveChoice(
  { text, pickedId }: ChangeFormValues,
  profiles: readonly SpeedProfile[],
  currentId: string | undefined,
): Resolved {
  const current = (p: SpeedProfile) => currentId !== undefined && p.id === currentId;
  const picked = pickedId ? profiles.find((p) => p.id === pickedId) : undefined;
  let found: ResolvedChange | undefined;
  if (picked?.id) {
    found = { profile: picked, lookup: { id: picked.id }, by: 'id' };
  } else {
    const typed = text.trim();
    if (typed === '') return { ok: false, message: 'Choose a speed profile, or type its permalink.' };
    const t = typed.toLowerCase();
    const byPermalink = profiles.find((p) => p.permalink === typed) ?? profiles.find((p) => lower(p.permalink) === t);
    const byId = profiles.find((p) => p.id === typed);
    const byName = profiles.find((p) => lower(p.name) === t);
    if (byPermalink?.permalink) found = { profile: byPermalink, lookup: { permalink: byPermalink.permalink }, by: 'permalink' };
    else if (byId?.id) found = { profile: byId, lookup: { id: byId.id }, by: 'id' };
    else if (byName?.id) found = { profile: byName, lookup: { id: byName.id }, by: 'id' };
    else {
      return {
        ok: false,
        message: `No speed profile of this organization has the permalink, name or id “${typed.slice(0, 60)}”.`,
      };
    }
  }
  if (current(found.profile)) return { ok: false, message: `${found.profile.name ?? 'That profile'} is already the current profile.` };
  return { ok: true, value: found };
}

/** The form's schema for one organization's profiles and the interface's current profile. */
export const changeFormSchema = (profiles: readonly SpeedProfile[], currentId: string | undefined) =>
  z.pipe(
    z
      .object({ text: z.string(), pickedId: z.nullable(z.string()) })
      .check(
        z.superRefine((v, ctx) => {
          const r = resolveChoice(v, profiles, currentId);
          if (!r.ok) ctx.addIssue({ code: 'custom', path: ['text'], message: r.message, input: v.text });
        }),
      ),
    z.transform((v): ResolvedChange => {
      const r = resolveChoice(v, profiles, currentId);
      if (!r.ok) throw new Error('unreachable: validated above');
      return r.value;
    }),
  );
