import useAutocomplete, { createFilterOptions } from '@mui/material/useAutocomplete';
import { useId, type Ref, type RefCallback } from 'react';
import type { SpeedProfile } from '../../../api/types.ts';
import { formatSpeeds } from '../format-speed.ts';

export const profileLabel = (p: SpeedProfile | string) =>
  typeof p === 'string' ? p : (p.name ?? p.permalink ?? p.id ?? 'unnamed profile');

const filter = createFilterOptions<SpeedProfile>({ stringify: (p) => [p.name, p.permalink, p.id].filter(Boolean).join(' ') });

export interface ProfileComboboxProps {
  profiles: SpeedProfile[];
  currentProfileId: string | undefined;
  /** The profile picked from the list, if any. */
  picked: SpeedProfile | null;
  /** What the field shows: the picked profile's name, or what the user typed (e.g. a permalink). */
  text: string;
  disabled: boolean;
  error: boolean;
  helperText: string;
  name: string;
  inputRef: RefCallback<HTMLInputElement>;
  onBlur: () => void;
  onPick: (profile: SpeedProfile) => void;
  /** Typed text (or cleared): nothing picked. */
  onType: (text: string) => void;
}

function assignRef<T>(ref: Ref<T> | undefined, value: T | null) {
  if (typeof ref === 'function') ref(value);
  else if (ref) (ref as { current: T | null }).current = value;
}

/**
 * combobox "Speed profile": the organization's profiles with their speeds, the current one marked and
 * not choosable, and free text for a permalink. The behaviour (keyboard, filtering, ARIA combobox and
 * listbox) is MUI's own `useAutocomplete`; it is drawn with the panel's CSS classes like the lookup
 * fields, without MUI's Autocomplete, TextField and Popper, which were most of the lazy bundle.
 */
export function ProfileCombobox(props: ProfileComboboxProps) {
  const { profiles, currentProfileId, picked, text, disabled, error, helperText, name, inputRef, onBlur, onPick, onType } = props;
  const helperId = useId();
  const isCurrent = (p: SpeedProfile) => p.id !== undefined && p.id === currentProfileId;
  const { getRootProps, getInputLabelProps, getInputProps, getListboxProps, getOptionProps, groupedOptions, popupOpen } =
    useAutocomplete<SpeedProfile, false, false, true>({
      id: `speed-profile-${helperId}`,
      freeSolo: true,
      options: profiles,
      value: picked ?? (text === '' ? null : text),
      inputValue: text,
      disabled,
      filterOptions: filter,
      getOptionLabel: profileLabel,
      getOptionKey: (p) => (typeof p === 'string' ? p : (p.id ?? profileLabel(p))),
      isOptionEqualToValue: (o, v) => typeof v !== 'string' && o.id === v.id,
      getOptionDisabled: isCurrent,
      onChange: (_e, v) => {
        if (v === null) onType('');
        else if (typeof v === 'string') onType(v);
        else onPick(v);
      },
      onInputChange: (_e, v, reason) => {
        if (reason === 'input' || reason === 'clear') onType(v);
      },
    });
  const { ref: acRef, ...inputProps } = getInputProps();
  return (
    <div
      {...getRootProps({
        className: `kp-field kp-grow kp-combo${error ? ' kp-error' : ''}${popupOpen ? ' kp-combo-open' : ''}`,
      })}
    >
      <label className="kp-label" {...getInputLabelProps()}>
        Speed profile
      </label>
      <input
        {...inputProps}
        ref={(el) => {
          assignRef(acRef, el);
          inputRef(el);
        }}
        name={name}
        className="kp-input kp-combo-input"
        type="text"
        spellCheck={false}
        disabled={disabled}
        aria-invalid={error}
        aria-describedby={helperId}
        onBlur={(e) => {
          inputProps.onBlur?.(e);
          onBlur();
        }}
      />
      <span className="kp-combo-arrow" aria-hidden />
      {popupOpen && groupedOptions.length > 0 ? (
        <ul className="kp-listbox" {...getListboxProps()}>
          {groupedOptions.map((p, index) => {
            const { key, className, ...optionProps } = getOptionProps({ option: p, index });
            return (
              <li key={key} {...optionProps} className={`kp-option${className ? ` ${className}` : ''}`}>
                <span className="kp-option-name">{profileLabel(p)}</span>
                <span className="kp-option-speeds">
                  {' — '}
                  {formatSpeeds(p)}
                  {p.permalink ? ' · ' : ''}
                  {p.permalink ? <span className="kp-mono">{p.permalink}</span> : null}
                </span>
                {isCurrent(p) ? <span className="kp-tag">current</span> : null}
              </li>
            );
          })}
        </ul>
      ) : null}
      <p className="kp-helper" id={helperId}>
        {helperText}
      </p>
    </div>
  );
}
