import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { AuditEntry } from '../../../../protocol/audit.ts';
import { meOptions } from '../../../api/panel.ts';
import { interfaceDetailOptions } from '../../../api/speed-profiles.ts';
import { ConfirmDialog } from '../../../components/confirm-dialog.tsx';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { useApi } from '../../../lib/panel-config.tsx';
import { useUpdateSpeedProfile } from '../api/update-speed-profile.ts';
import { ChangeTable } from './change-table.tsx';
import type { ChangeInput, StartedChange } from './speed-profile-form.tsx';

export interface ChangeBackProps {
  /** A completed change from the audit log. */
  entry: AuditEntry;
  onStarted: (change: StartedChange) => void;
}

const nameOf = (p: { id: string | null; name: string | null } | null) => p?.name ?? p?.id ?? undefined;

/**
 * "Change back to <from>" on a completed change: the same confirm dialog and the same single PATCH
 * (so the same lock and permission at the server), offered only while the interface still has the
 * change's "to" profile.
 */
export function ChangeBack({ entry, onStarted }: ChangeBackProps) {
  const api = useApi();
  const [open, setOpen] = useState(false);
  const me = useQuery(meOptions(api)).data;
  const current = useQuery(interfaceDetailOptions(api, entry.interface_id)).data?.speed_profile;
  const from = entry.from_profile;
  const mutation = useUpdateSpeedProfile<ChangeInput>({
    onSuccess: (task, input) => {
      setOpen(false);
      onStarted({ task, interfaceId: input.interfaceId, from: input.from, to: input.to, by: 'id' });
    },
    onError: () => setOpen(false),
  });
  if (entry.outcome !== 'completed' || !from?.id || !current || (me && !me.may_change)) return null;
  if (current.id !== entry.to_profile.id) {
    return (
      <Typography variant="caption" sx={{ color: 'text.secondary', display: 'block' }}>
        Changed since: the interface now has {current.name ?? current.id ?? 'another profile'}.
      </Typography>
    );
  }
  const back = nameOf(from) ?? 'the previous profile';
  const to = nameOf(entry.to_profile);
  const confirm = () => {
    if (mutation.isPending) return;
    mutation.mutate({
      interfaceId: entry.interface_id,
      speedProfile: { id: from.id ?? '' },
      context: {
        vm_id: entry.vm.id ?? undefined,
        vm_name: entry.vm.name ?? undefined,
        network_id: entry.network.id ?? undefined,
        network_name: entry.network.name ?? undefined,
        from_profile_id: current.id,
        from_profile_name: current.name,
        to_profile_name: back,
      },
      from: to,
      to: back,
      interfaceName: undefined,
      change: { by: 'id', profile: { id: from.id ?? undefined, name: back }, lookup: { id: from.id ?? '' } },
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
          Interface {entry.interface_id} of VM <strong>{entry.vm.name ?? entry.vm.id ?? 'not recorded'}</strong> will change back from{' '}
          <strong>{to ?? 'its current profile'}</strong> to <strong>{back}</strong>, as {entry.user} changed it on {new Date(entry.at).toLocaleString()}.
        </Typography>
        <ChangeTable from={{ name: to, speeds: 'as now' }} to={{ name: back, speeds: 'as before the change' }} />
      </ConfirmDialog>
    </Box>
  );
}
