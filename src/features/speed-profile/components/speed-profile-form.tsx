import { zodResolver } from '@hookform/resolvers/zod';
import { useRef, useState } from 'react';
import { Controller, useForm, useWatch } from 'react-hook-form';
import type { ApiError } from '../../../api/api-error.ts';
import { changeOutcomeUnknown } from '../../../api/error-messages.ts';
import type { SpeedProfile, Task } from '../../../api/types.ts';
import { ConfirmDialog } from '../../../components/confirm-dialog.tsx';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { useUpdateSpeedProfile, type UpdateSpeedProfileInput } from '../api/update-speed-profile.ts';
import { changeFormSchema, type ChangeFormValues, type ResolvedChange } from '../change-schema.ts';
import { formatSpeeds } from '../format-speed.ts';
import { ChangeErrorAlert } from './change-error-alert.tsx';
import { profileLabel, ProfileCombobox } from './profile-combobox.tsx';

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

export function SpeedProfileForm(props: SpeedProfileFormProps) {
  const { interfaceId, interfaceName, vmName, vmId, currentProfileId, currentProfileName, profiles, profilesError } = props;
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
    <form
      className="kp-change"
      noValidate
      aria-label="Change the speed profile"
      onSubmit={(e) =>
        void handleSubmit((resolved) => {
          mutation.reset();
          setPending(resolved);
        })(e)
      }
    >
      <div className="kp-change-row">
        <Controller
          name="text"
          control={control}
          render={({ field, fieldState }) => (
            <ProfileCombobox
              profiles={profiles ?? []}
              currentProfileId={currentProfileId}
              picked={pickedId ? (profiles?.find((p) => p.id === pickedId) ?? null) : null}
              text={field.value}
              disabled={disabled}
              error={fieldState.error !== undefined}
              helperText={fieldState.error?.message ?? helper}
              name={field.name}
              inputRef={field.ref}
              onBlur={field.onBlur}
              onPick={(p) => {
                mutation.reset();
                setValue('pickedId', p.id ?? null);
                field.onChange(profileLabel(p));
              }}
              onType={(text) => {
                mutation.reset();
                setValue('pickedId', null);
                field.onChange(text);
              }}
            />
          )}
        />
        <button type="submit" className="kp-button kp-button-auto" disabled={disabled}>
          Change speed profile
        </button>
      </div>
      {profilesError ? <ErrorAlert error={profilesError} /> : null}
      {mutation.isError ? <ChangeErrorAlert error={mutation.error} /> : null}
      {pending ? (
        <ConfirmDialog title="Change the speed profile?" busy={mutation.isPending} onConfirm={confirm} onCancel={cancel}>
          <p>
            Interface <strong>{interfaceName ?? 'without a name'}</strong> ({interfaceId}) of VM{' '}
            <strong>{vmName ?? 'not reported'}</strong>
            {vmId ? ` (${vmId})` : ''} will change from <strong>{currentProfileName ?? 'its current profile (not reported)'}</strong> to{' '}
            <strong>{profileLabel(pending.profile)}</strong>.
          </p>
          <p>
            New speeds: {formatSpeeds(pending.profile)}. Sent to Katapult by{' '}
            {pending.by === 'permalink' ? `permalink “${pending.profile.permalink ?? ''}”` : `id ${pending.profile.id ?? ''}`}.
          </p>
          <p>Katapult applies it as a task: the card shows the new profile once the task has completed.</p>
        </ConfirmDialog>
      ) : null}
    </form>
  );
}
