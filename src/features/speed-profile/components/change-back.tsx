import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { AuditEntry } from '../../../../protocol/audit.ts';
import type { ApiError } from '../../../api/api-error.ts';
import type { SpeedProfile } from '../../../api/types.ts';
import { vmSpeedProfilesOptions } from '../../../api/vm.ts';
import { formatSpeeds } from '../../../lib/format.ts';
import { formatExact } from '../../../lib/time.ts';
import { ConfirmDialog } from '../../../components/confirm-dialog.tsx';
import { profileName } from '../../../lib/format.ts';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { useApi, usePanelConfig } from '../../../lib/panel-config.tsx';
import { speedChange, useUpdateSpeedProfile, type SpeedChange, type StartedChange } from '../use-update-speed-profile.ts';
import { ChangeTable } from './change-table.tsx';
import { meOptions } from '../../../api/me.ts';
import { interfaceDetailOptions } from '../../../api/interface.ts';

export interface ChangeBackProps {
  /** A completed change from the audit log. */
  entry: AuditEntry;
  onStarted: (change: StartedChange) => void;
  /** A change back answered with an error (refused, or no usable answer): for the activity log. */
  onRefused?: ((change: SpeedChange, error: ApiError) => void) | undefined;
}

/** A profile's speeds in the one speed format, once the organization's profiles are known. */
const speedsOf = (profiles: SpeedProfile[] | undefined, id: string | null) => {
  const p = id ? profiles?.find((x) => x.id === id) : undefined;
  return p ? formatSpeeds(p) : profiles ? 'not reported' : 'loading…';
};

/**
 * "Change back to <from>" on a completed change: the same confirm dialog and the same single PATCH
 * (so the same lock and permission at the server), offered only when the server says the change
 * can be undone now (`can_change_back`: nothing running, the interface still on its "to"). The
 * PATCH names the change it undoes, so the server refuses it if that stopped being true.
 */
export function ChangeBack({ entry, onStarted, onRefused }: ChangeBackProps) {
  const api = useApi();
  const [open, setOpen] = useState(false);
  const me = useQuery(meOptions(api)).data;
  const detail = useQuery(interfaceDetailOptions(api, entry.interface_id)).data;
  const current = detail?.speed_profile;
  // The dialog gives both speeds, as a normal change's does: the organization's profiles, asked for when it opens.
  const vmRef = entry.vm.id ? ({ kind: 'id', value: entry.vm.id } as const) : undefined;
  const profiles = useQuery({ ...vmSpeedProfilesOptions(api, vmRef ?? { kind: 'id', value: '' }), enabled: open && !!vmRef }).data;
  const { locale } = usePanelConfig();
  const from = entry.from_profile;
  const mutation = useUpdateSpeedProfile({
    onSuccess: (started) => {
      setOpen(false);
      onStarted(started);
    },
    onError: (error, change) => {
      setOpen(false);
      onRefused?.(change, error);
    },
  });
  if (entry.outcome !== 'completed' || !from?.id || !current || (me && !me.may_change)) return null;
  if (current.id !== entry.to_profile.id) {
    return (
      <Typography variant="caption" sx={{ color: 'text.secondary', display: 'block' }}>
        Changed since: the interface now has {profileName(current) ?? 'another profile'}.
      </Typography>
    );
  }
  if (!entry.can_change_back) return null;
  const back = profileName(from) ?? 'the previous profile';
  const to = profileName(entry.to_profile);
  const confirm = () => {
    if (mutation.isPending) return;
    mutation.mutate({
      ...speedChange({
        interfaceId: entry.interface_id,
        speedProfile: { id: from.id ?? '' },
        vm: entry.vm,
        network: entry.network,
        from: current,
        to: back,
      }),
      changeBackOf: entry.id,
    });
  };
  return (
    <Box sx={{ mt: 0.5 }}>
      <Button size="small" variant="outlined" onClick={() => (mutation.reset(), setOpen(true))}>
        Change back to {back}
      </Button>
      {mutation.isError ? (
        <ErrorAlert error={mutation.error} context="change" asked={`Change back of interface ${entry.interface_id} of VM ${entry.vm.name ?? entry.vm.id ?? 'not recorded'} from ${to ?? 'its current profile'} to ${back}`} />
      ) : null}
      <ConfirmDialog open={open} title="Change the speed profile back?" busy={mutation.isPending} onConfirm={confirm} onCancel={() => setOpen(false)}>
        <Typography variant="body2">
          Interface <strong>{detail?.name ?? 'without a name'}</strong> ({entry.interface_id}) of VM <strong>{entry.vm.name ?? 'not recorded'}</strong>
          {entry.vm.id && entry.vm.name ? ` (${entry.vm.id})` : ''} will change from <strong>{to ?? 'its current profile'}</strong> to <strong>{back}</strong>.
        </Typography>
        <ChangeTable from={{ name: to, speeds: speedsOf(profiles, entry.to_profile.id) }} to={{ name: back, speeds: speedsOf(profiles, from.id) }} />
        <Typography variant="body2" sx={{ color: 'text.secondary' }}>
          This puts back the change {entry.user} made on {formatExact(Date.parse(entry.at) / 1000, locale)}. Katapult applies it as a task: the card shows the
          profile once the task has completed.
        </Typography>
      </ConfirmDialog>
    </Box>
  );
}
