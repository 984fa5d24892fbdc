import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { useRef, useState } from 'react';
import type { ApiError } from '../../../api/api-error.ts';
import type { SpeedProfile, Task } from '../../../api/types.ts';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { useUpdateSpeedProfile } from '../api/update-speed-profile.ts';
import { formatSpeeds } from '../format-speed.ts';

export interface StartedChange {
  task: Task;
  from: string | undefined;
  to: string;
}

export interface SpeedProfileFormProps {
  interfaceId: string;
  interfaceName: string | undefined;
  vmName: string | undefined;
  currentProfileId: string | undefined;
  currentProfileName: string | undefined;
  profiles: SpeedProfile[] | undefined;
  profilesError: ApiError | null;
  /** A change for this interface is already running: no second one. */
  locked: boolean;
  onStarted: (change: StartedChange) => void;
  /** 422 speed_profile_already_assigned: someone else changed it; refresh the card. */
  onStale: () => void;
}

export function SpeedProfileForm(props: SpeedProfileFormProps) {
  const { interfaceId, interfaceName, vmName, currentProfileId, currentProfileName, profiles, profilesError, locked } = props;
  const [selected, setSelected] = useState('');
  const [open, setOpen] = useState(false);
  const sending = useRef(false);
  const mutation = useUpdateSpeedProfile();
  const target = profiles?.find((p) => p.id === selected);

  const confirm = () => {
    if (sending.current || !target?.id) return;
    sending.current = true;
    mutation.mutate(
      { interfaceId, speedProfile: { id: target.id } },
      {
        onSuccess: (task) => {
          setOpen(false);
          setSelected('');
          props.onStarted({ task, from: currentProfileName, to: target.name ?? target.id ?? 'unknown' });
        },
        onError: (error) => {
          setOpen(false);
          if (error.code === 'speed_profile_already_assigned') props.onStale();
        },
        onSettled: () => {
          sending.current = false;
        },
      },
    );
  };

  return (
    <Box>
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2} sx={{ alignItems: { sm: 'flex-start' } }}>
        <TextField
          select
          label="Speed profile"
          value={selected}
          onChange={(e) => {
            setSelected(e.target.value);
            mutation.reset();
          }}
          disabled={locked || !profiles}
          helperText={locked ? 'A change is running for this interface.' : profiles ? ' ' : 'Loading the organization’s speed profiles…'}
          sx={{ minWidth: { sm: 320 }, flex: 1 }}
        >
          {(profiles ?? []).map((p) => {
            const isCurrent = p.id === currentProfileId;
            return (
              <MenuItem key={p.id} value={p.id} disabled={isCurrent}>
                {p.name ?? p.id} — {formatSpeeds(p)}
                {isCurrent ? ' (current)' : ''}
              </MenuItem>
            );
          })}
        </TextField>
        <Button variant="contained" disabled={locked || !target} onClick={() => setOpen(true)} sx={{ height: 56 }}>
          Change speed profile
        </Button>
      </Stack>
      {profilesError ? <ErrorAlert error={profilesError} /> : null}
      {mutation.isError ? <ErrorAlert error={mutation.error} /> : null}
      <Dialog open={open} onClose={() => !mutation.isPending && setOpen(false)} aria-labelledby="change-dialog-title">
        <DialogTitle id="change-dialog-title">Change the speed profile?</DialogTitle>
        <DialogContent>
          <DialogContentText>
            Interface {interfaceName ?? interfaceId} of VM {vmName ?? 'not reported'} will change from{' '}
            <strong>{currentProfileName ?? 'its current profile'}</strong> to <strong>{target?.name ?? ''}</strong>
            {target ? ` (${formatSpeeds(target)})` : ''}. Katapult applies it as a task; the card updates when it
            completes.
          </DialogContentText>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setOpen(false)} disabled={mutation.isPending}>
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
