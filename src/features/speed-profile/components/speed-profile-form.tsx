import { zodResolver } from '@hookform/resolvers/zod';
import Autocomplete, { createFilterOptions } from '@mui/material/Autocomplete';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { useId, useRef, useState } from 'react';
import { Controller, useForm, useWatch } from 'react-hook-form';
import type { ApiError } from '../../../api/api-error.ts';
import { changeOutcomeUnknown } from '../../../api/error-messages.ts';
import type { SpeedProfile, Task } from '../../../api/types.ts';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { useUpdateSpeedProfile, type UpdateSpeedProfileInput } from '../api/update-speed-profile.ts';
import { changeFormSchema, type ChangeFormValues, type ResolvedChange } from '../change-schema.ts';
import { formatSpeeds } from '../format-speed.ts';
import { ChangeErrorAlert } from './change-error-alert.tsx';

export interface StartedChange {
  task: Task;
  interfaceId: string;
  from: string | undefined;
  to: string;
  by: 'id' | 'permalink';
}

export interface SpeedProfileFormProps {
  interfaceId: string;
  interfaceName: string | undefined;
  vmName: string | undefined;
  vmId?: string | undefined;
  currentProfileId: string | undefined;
  currentProfileName: string | undefined;
  /** The current profile is still being fetched: no choice can be checked against it yet. */
  currentPending?: boolean | undefined;
  profiles: SpeedProfile[] | undefined;
  profilesError: ApiError | null;
  /** A change for this interface is already running: no second one. */
  locked: boolean;
  onStarted: (change: StartedChange) => void;
  /** The card may be out of date (422 speed_profile_already_assigned, or an answer that never came). */
  onStale: () => void;
}

interface ChangeInput extends UpdateSpeedProfileInput {
  from: string | undefined;
  change: ResolvedChange;
}

const EMPTY: ChangeFormValues = { text: '', pickedId: null };
const profileLabel = (p: SpeedProfile | string) => (typeof p === 'string' ? p : (p.name ?? p.permalink ?? p.id ?? 'unnamed profile'));
const filter = createFilterOptions<SpeedProfile>({ stringify: (p) => [p.name, p.permalink, p.id].filter(Boolean).join(' ') });

export function SpeedProfileForm(props: SpeedProfileFormProps) {
  const { interfaceId, interfaceName, vmName, vmId, currentProfileId, currentProfileName, profiles, profilesError } = props;
  const dialogTitleId = useId();
  const dialogTextId = useId();
  const [pending, setPending] = useState<ResolvedChange | null>(null);
  /** Set synchronously on the first Confirm: double clicks and held Enter keys send nothing more. */
  const sending = useRef(false);
  const { control, handleSubmit, reset, setValue } = useForm<ChangeFormValues, unknown, ResolvedChange>({
    resolver: zodResolver(changeFormSchema(profiles ?? [], currentProfileId)),
    defaultValues: EMPTY,
    mode: 'onSubmit',
    reValidateMode: 'onSubmit',
  });
  const pickedId = useWatch({ control, name: 'pickedId' });
  const { onStarted, onStale } = props;
  const mutation = useUpdateSpeedProfile<ChangeInput>({
    onSuccess: (task, input) => {
      sending.current = false;
      setPending(null);
      reset(EMPTY);
      onStarted({ task, interfaceId: input.interfaceId, from: input.from, to: profileLabel(input.change.profile), by: input.change.by });
    },
    onError: (error) => {
      sending.current = false;
      setPending(null);
      if (error.code === 'speed_profile_already_assigned' || changeOutcomeUnknown(error)) onStale();
    },
  });
  const locked = props.locked || mutation.isPending;
  const disabled = locked || !profiles || props.currentPending === true;

  const confirm = () => {
    if (sending.current || !pending) return;
    sending.current = true;
    mutation.mutate({ interfaceId, speedProfile: pending.lookup, from: currentProfileName, change: pending });
  };
  const cancel = () => {
    if (!mutation.isPending) setPending(null);
  };

  const helper = props.locked
    ? 'A change is running for this interface: wait for its task to end.'
    : !profiles
      ? profilesError
        ? ' '
        : 'Loading the organization’s speed profiles…'
      : 'Pick a profile, or type its permalink (e.g. 10gbps) to send the change by permalink.';

  return (
    <Box
      component="form"
      noValidate
      aria-label="Change the speed profile"
      onSubmit={(e) =>
        void handleSubmit((resolved) => {
          mutation.reset();
          setPending(resolved);
        })(e)
      }
    >
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2} sx={{ alignItems: { sm: 'flex-start' } }}>
        <Controller
          name="text"
          control={control}
          render={({ field, fieldState }) => {
            const picked = pickedId ? (profiles?.find((p) => p.id === pickedId) ?? null) : null;
            const setPicked = (id: string | null) => setValue('pickedId', id);
            return (
              <Autocomplete<SpeedProfile, false, false, true>
                freeSolo
                options={profiles ?? []}
                value={picked ?? (field.value === '' ? null : field.value)}
                inputValue={field.value}
                disabled={disabled}
                filterOptions={filter}
                getOptionLabel={profileLabel}
                getOptionKey={(p) => (typeof p === 'string' ? p : (p.id ?? profileLabel(p)))}
                isOptionEqualToValue={(o, v) => typeof v !== 'string' && o.id === v.id}
                getOptionDisabled={(p) => p.id !== undefined && p.id === currentProfileId}
                onChange={(_e, v) => {
                  mutation.reset();
                  if (v === null) {
                    setPicked(null);
                    field.onChange('');
                  } else if (typeof v === 'string') {
                    setPicked(null);
                    field.onChange(v);
                  } else {
                    setPicked(v.id ?? null);
                    field.onChange(profileLabel(v));
                  }
                }}
                onInputChange={(_e, v, reason) => {
                  if (reason !== 'input' && reason !== 'clear') return;
                  mutation.reset();
                  setPicked(null);
                  field.onChange(v);
                }}
                renderOption={({ key, ...liProps }, p) => {
                  const isCurrent = p.id !== undefined && p.id === currentProfileId;
                  return (
                    <Box component="li" key={key} {...liProps} sx={{ display: 'block !important' }}>
                      <Box component="span" sx={{ fontWeight: 500 }}>
                        {profileLabel(p)}
                      </Box>
                      <Box component="span" sx={{ color: 'text.secondary' }}>
                        {' — '}
                        {formatSpeeds(p)}
                        {p.permalink ? ' · ' : ''}
                        {p.permalink ? (
                          <Box component="span" sx={{ fontFamily: 'monospace' }}>
                            {p.permalink}
                          </Box>
                        ) : null}
                      </Box>
                      {isCurrent ? <Chip size="small" label="current" sx={{ ml: 1 }} /> : null}
                    </Box>
                  );
                }}
                renderInput={(params) => (
                  <TextField
                    {...params}
                    inputRef={field.ref}
                    name={field.name}
                    onBlur={field.onBlur}
                    label="Speed profile"
                    error={fieldState.error !== undefined}
                    helperText={fieldState.error?.message ?? helper}
                  />
                )}
                sx={{ minWidth: { sm: 340 }, flex: 1 }}
              />
            );
          }}
        />
        <Button type="submit" variant="contained" disabled={disabled} sx={{ height: 56, whiteSpace: 'nowrap' }}>
          Change speed profile
        </Button>
      </Stack>
      {profilesError ? <ErrorAlert error={profilesError} /> : null}
      {mutation.isError ? <ChangeErrorAlert error={mutation.error} /> : null}
      <Dialog
        open={pending !== null}
        // A click outside does not close it: the 2nd/3rd click of a double/triple click on "Change
        // speed profile" lands on the backdrop and closed the dialog it had just opened (issue 7).
        // Escape and Cancel still close it.
        onClose={(_event, reason) => {
          if (reason !== 'backdropClick') cancel();
        }}
        aria-labelledby={dialogTitleId}
        aria-describedby={dialogTextId}
      >
        <DialogTitle id={dialogTitleId}>Change the speed profile?</DialogTitle>
        <DialogContent>
          {pending ? (
            <DialogContentText id={dialogTextId} component="div">
              <p style={{ marginTop: 0 }}>
                Interface <strong>{interfaceName ?? 'without a name'}</strong> ({interfaceId}) of VM{' '}
                <strong>{vmName ?? 'not reported'}</strong>
                {vmId ? ` (${vmId})` : ''} will change from <strong>{currentProfileName ?? 'its current profile (not reported)'}</strong> to{' '}
                <strong>{profileLabel(pending.profile)}</strong>.
              </p>
              <p>
                New speeds: {formatSpeeds(pending.profile)}. Sent to Katapult by{' '}
                {pending.by === 'permalink' ? `permalink “${pending.profile.permalink ?? ''}”` : `id ${pending.profile.id ?? ''}`}.
              </p>
              <p style={{ marginBottom: 0 }}>
                Katapult applies it as a task: the card shows the new profile once the task has completed.
              </p>
            </DialogContentText>
          ) : null}
        </DialogContent>
        <DialogActions>
          <Button onClick={cancel} disabled={mutation.isPending}>
            Cancel
          </Button>
          <Button variant="contained" onClick={confirm} loading={mutation.isPending} autoFocus>
            Confirm
          </Button>
        </DialogActions>
      </Dialog>
    </Box>
  );
}
