/**
 * The speeds of a profile the panel has already fetched, by its id: a ticket paragraph gives them
 * when known. Read from the cached profile lists when asked (no request of its own).
 */
import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { formatSpeeds } from '../lib/format.ts';
import { speedProfileKeys } from './speed-profiles.ts';
import type { SpeedProfile } from './types.ts';

/** A profile as a record names it: by id, else by permalink (a change sent by permalink), else by name. */
interface ProfileRef {
  id?: string | null | undefined;
  permalink?: string | null | undefined;
  name?: string | null | undefined;
}

const matches = (ref: ProfileRef, p: SpeedProfile) =>
  ref.id ? p.id === ref.id : ref.permalink ? p.permalink === ref.permalink : !!ref.name && p.name === ref.name;

export function useKnownSpeeds(): (profile: ProfileRef) => string | undefined {
  const queryClient = useQueryClient();
  return useCallback(
    (ref) => {
      for (const [, list] of queryClient.getQueriesData<SpeedProfile[]>({ queryKey: speedProfileKeys.all })) {
        const p = list?.find((x) => matches(ref, x));
        if (p) return formatSpeeds(p);
      }
      return undefined;
    },
    [queryClient],
  );
}
