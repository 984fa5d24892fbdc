import { zodResolver } from '@hookform/resolvers/zod';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { Controller, useForm, useWatch } from 'react-hook-form';
import { changeOutcomeUnknown } from '../../../api/error-messages.ts';
import { formatSpeeds } from '../../../lib/format.ts';
import type { SpeedProfile } from '../../../api/types.ts';
import { ConfirmDialog } from '../../../components/confirm-dialog.tsx';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { speedChange, useUpdateSpeedProfile, type SpeedChange, type StartedChange } from '../use-update-speed-profile.ts';
import type { ApiError } from '../../../api/api-error.ts';
import { changeFormSchema, type ChangeFormValues, type ResolvedChange } from '../change-schema.ts';
import { ChangeTable } from './change-table.tsx';
import { bySpeed, profileLabel, ProfileCombobox } from './profile-combobox.tsx';
import { interfaceDetailKeys } from '../../../api/interface.ts';

export interface ChangeTarget {
  interfaceId: string;
  interfaceName: string | undefined;
  vmName: string | undefined;
  vmId: string | undefined;
  /** The interface's network (or virtual network), as the card shows it. */
  network?: { id: string | undefined; name: string | undefined } | undefined;
}

export interface SpeedProfileFormProps {
  target: ChangeTarget;
  /** The current profile; undefined while it is still being fetched (nothing can be checked against it yet). */
  current: { id: string | undefined; name: string | undefined } | undefined;
  /** The organization's profiles, once loaded. */
  profiles: SpeedProfile[] | undefined;
  /** A change for this interface is already running: no second one. */
  locked: boolean;
  onStarted: (change: StartedChange) => void;
  /** A change answered with an error (refused, or no usable answer): for the activity log. */
  onRefused?: ((change: SpeedChange, error: ApiError) => void) | undefined;
}

const EMPTY: ChangeFormValues = { text: '', pickedId: null };
const NO_PROFILES: SpeedProfile[] = [];

/** The speeds of a profile as table cells, in the one speed format. */
const speedsOf = (p: SpeedProfile | undefined) => (p ? formatSpeeds(p) : 'not reported');

/** Pick a profile, press "Change speed profile", then confirm in a dialog that shows from → to. */
export function SpeedProfileForm({ target, current, profiles, locked: running, onStarted, onRefused }: SpeedProfileFormProps) {
  const { interfaceId } = target;
  const queryClient = useQueryClient();
  const [pending, setPending] = useState<ResolvedChange | null>(null);
  /** Set synchronously on the first Confirm: double clicks and held Enter keys send nothing more. */
  const sending = useRef(false);
  const sorted = profiles ? [...profiles].sort(bySpeed) : NO_PROFILES;
  const { control, handleSubmit, reset, setValue } = useForm<ChangeFormValues, unknown, ResolvedChange>({
    resolver: zodResolver(changeFormSchema(sorted, current?.id)),
    defaultValues: EMPTY,
    mode: 'onSubmit',
    reValidateMode: 'onSubmit',
  });
  const pickedId = useWatch({ control, name: 'pickedId' });
  const mutation = useUpdateSpeedProfile({
    onSuccess: (started) => {
      sending.current = false;
      setPending(null);
      reset(EMPTY);
      onStarted(started);
    },
    onError: (error, input) => {
      sending.current = false;
      setPending(null);
      onRefused?.(input, error);
      // The card may be out of date: someone else changed it, or the change's answer never came.
      if (error.code === 'speed_profile_already_assigned' || changeOutcomeUnknown(error)) {
        void queryClient.invalidateQueries({ queryKey: interfaceDetailKeys.detail(input.interfaceId) });
      }
    },
  });
  const locked = running || mutation.isPending;
  const disabled = locked || !profiles || current === undefined;
  const currentFull = sorted.find((p) => p.id !== undefined && p.id === current?.id);

  const confirm = () => {
    if (sending.current || !pending) return;
    sending.current = true;
    mutation.mutate(
      speedChange({
        interfaceId,
        speedProfile: pending.lookup,
        vm: { id: target.vmId, name: target.vmName },
        network: target.network,
        from: current,
        to: profileLabel(pending.profile),
        toName: pending.profile.name,
      }),
    );
  };

  const hint = running
    ? 'A change is running for this interface: wait for its task to end.'
    : !profiles
      ? 'Loading the organization’s speed profiles…'
      : 'Pick a profile, or type its permalink (e.g. 10gbps) to send the change by permalink.';

  return (
    <Stack
      component="form"
      noValidate
      aria-label="Change the speed profile"
      onSubmit={(e) =>
        void handleSubmit((resolved) => {
          mutation.reset();
          setPending(resolved);
        })(e)
      }
      sx={{ gap: 1 }}
    >
      <Stack direction={{ xs: 'column', sm: 'row' }} sx={{ gap: 1.5, alignItems: { sm: 'flex-start' } }}>
        <Controller
          name="text"
          control={control}
          render={({ field, fieldState }) => (
            <ProfileCombobox
              profiles={sorted}
              currentProfileId={current?.id}
              value={{ picked: pickedId ? (sorted.find((p) => p.id === pickedId) ?? null) : null, text: field.value }}
              helper={{ text: fieldState.error?.message ?? hint, error: fieldState.error !== undefined }}
              field={{ name: field.name, inputRef: field.ref, onBlur: field.onBlur, disabled }}
              onChange={(change) => {
                mutation.reset();
                setValue('pickedId', 'picked' in change ? (change.picked.id ?? null) : null);
                field.onChange('picked' in change ? profileLabel(change.picked) : change.text);
              }}
            />
          )}
        />
        <Button type="submit" variant="contained" disabled={disabled} sx={{ flexShrink: 0, height: 40 }}>
          Change speed profile
        </Button>
      </Stack>
      {mutation.isError && mutation.error.code === 'speed_profile_already_assigned' ? (
        // Not a failure: the interface is already where the change would take it.
        <Alert severity="info" role="status">
          The interface already has {mutation.variables?.to ?? 'that profile'}: nothing to change. The card has been refreshed. Code: speed_profile_already_assigned
        </Alert>
      ) : mutation.isError ? (
        <ErrorAlert
          error={mutation.error}
          context="change"
          asked={`Change of interface ${target.interfaceName ?? interfaceId} (${interfaceId}) of VM ${target.vmName ?? target.vmId ?? 'not reported'}${target.vmId && target.vmName ? ` (${target.vmId})` : ''} from ${mutation.variables?.from ?? 'its current profile'} to ${mutation.variables?.to ?? 'another profile'}`}
        />
      ) : null}
      <ConfirmDialog
        open={pending !== null}
        title="Change the speed profile?"
        busy={mutation.isPending}
        onConfirm={confirm}
        onCancel={() => {
          if (!mutation.isPending) setPending(null);
        }}
      >
        {pending ? (
          <>
            <Typography variant="body2">
              Interface <strong>{target.interfaceName ?? 'without a name'}</strong> ({interfaceId}) of VM{' '}
              <strong>{target.vmName ?? 'not reported'}</strong>
              {target.vmId ? ` (${target.vmId})` : ''} will change from <strong>{current?.name ?? 'its current profile (not reported)'}</strong> to{' '}
              <strong>{profileLabel(pending.profile)}</strong>.
            </Typography>
            <ChangeTable from={{ name: current?.name, speeds: speedsOf(currentFull) }} to={{ name: profileLabel(pending.profile), speeds: speedsOf(pending.profile) }} />
            <Typography variant="body2" sx={{ color: 'text.secondary' }}>
              Sent to Katapult by{' '}
              {pending.by === 'permalink' ? `permalink “${pending.profile.permalink ?? ''}”` : `id ${pending.profile.id ?? ''}`}. Katapult
              applies it as a task: the card shows the new profile once the task has completed.
            </Typography>
          </>
        ) : null}
      </ConfirmDialog>
    </Stack>
  );
}
