import Autocomplete, { createFilterOptions } from '@mui/material/Autocomplete';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import TextField from '@mui/material/TextField';
import type { RefCallback } from 'react';
import { formatSpeeds, profileName } from '../../../lib/format.ts';
import type { SpeedProfile } from '../../../api/types.ts';

export const profileLabel = (p: SpeedProfile | string) => (typeof p === 'string' ? p : (profileName(p) ?? 'unnamed profile'));

const filter = createFilterOptions<SpeedProfile>({ stringify: (p) => [p.name, p.permalink, p.id].filter(Boolean).join(' ') });

/** Unlimited (null) is faster than any number; not reported (absent) sorts last. */
const speedRank = (v: number | null | undefined) => (v === undefined ? -1 : v === null ? Number.MAX_SAFE_INTEGER : v);

/** Slowest first, by download speed, then upload speed, then name. */
export const bySpeed = (a: SpeedProfile, b: SpeedProfile) => {
  const rank = (p: SpeedProfile) => [speedRank(p.download_speed_in_mbit), speedRank(p.upload_speed_in_mbit)] as const;
  const [ad, au] = rank(a);
  const [bd, bu] = rank(b);
  const known = (d: number) => (d === -1 ? 1 : 0);
  return known(ad) - known(bd) || ad - bd || au - bu || profileLabel(a).localeCompare(profileLabel(b));
};

export interface ProfileComboboxProps {
  /** Sorted by speed (see bySpeed). */
  profiles: SpeedProfile[];
  currentProfileId: string | undefined;
  /** The profile picked from the list, if any; else what the user typed (e.g. a permalink). */
  value: { picked: SpeedProfile | null; text: string };
  /** The field's message (an error, or a hint), and whether it is an error. */
  helper: { text: string; error: boolean };
  field: { name: string; inputRef: RefCallback<HTMLInputElement>; onBlur: () => void; disabled: boolean };
  onChange: (change: { picked: SpeedProfile } | { text: string }) => void;
}

/**
 * combobox "Speed profile": the organization's profiles with their speeds, the current one marked
 * and not choosable, and free text for a permalink. Its list opens inside the viewport (Popper
 * flips it above the field when there is no room below) and keeps the highlighted option in view.
 */
export function ProfileCombobox({ profiles, currentProfileId, value, helper, field, onChange }: ProfileComboboxProps) {
  const isCurrent = (p: SpeedProfile) => p.id !== undefined && p.id === currentProfileId;
  return (
    <Autocomplete<SpeedProfile, false, false, true>
      freeSolo
      options={profiles}
      value={value.picked ?? (value.text === '' ? null : value.text)}
      inputValue={value.text}
      disabled={field.disabled}
      filterOptions={filter}
      getOptionLabel={profileLabel}
      getOptionKey={(p) => (typeof p === 'string' ? p : (p.id ?? profileLabel(p)))}
      isOptionEqualToValue={(o, v) => typeof v !== 'string' && o.id === v.id}
      getOptionDisabled={isCurrent}
      onChange={(_e, v) => onChange(v === null ? { text: '' } : typeof v === 'string' ? { text: v } : { picked: v })}
      onInputChange={(_e, v, reason) => {
        if (reason === 'input' || reason === 'clear') onChange({ text: v });
      }}
      sx={{ flex: 1, minWidth: 240 }}
      slotProps={{
        popper: {
          placement: 'bottom-start',
          modifiers: [
            { name: 'flip', enabled: true, options: { fallbackPlacements: ['top-start'] } },
            { name: 'preventOverflow', enabled: true, options: { padding: 8 } },
          ],
        },
        listbox: { sx: { maxHeight: 'min(320px, 45vh)' } },
      }}
      renderOption={({ key, ...props }, p) => (
        <Box component="li" key={key} {...props} sx={{ display: 'flex', gap: 1, alignItems: 'baseline', flexWrap: 'wrap' }}>
          <Box component="span" sx={{ fontWeight: 500 }}>
            {profileLabel(p)}
          </Box>
          <Box component="span" sx={{ color: 'text.secondary', typography: 'body2' }}>
            — {formatSpeeds(p)}
            {p.permalink ? ' · ' : ''}
            {p.permalink ? (
              <Box component="span" sx={{ fontFamily: 'monospace' }}>
                {p.permalink}
              </Box>
            ) : null}
          </Box>
          {isCurrent(p) ? <Chip size="small" label="current" sx={{ ml: 'auto' }} /> : null}
        </Box>
      )}
      renderInput={(params) => (
        <TextField
          {...params}
          name={field.name}
          inputRef={field.inputRef}
          onBlur={field.onBlur}
          placeholder="Choose a new profile, or type its permalink"
          error={helper.error}
          helperText={helper.text}
          slotProps={{
            ...params.slotProps,
            htmlInput: { ...params.slotProps.htmlInput, 'aria-label': 'Speed profile', spellCheck: false },
          }}
        />
      )}
    />
  );
}
