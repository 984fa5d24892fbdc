import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { AuditEntry } from '../../../../protocol/audit.ts';
import { ConfirmDialog } from '../../../components/confirm-dialog.tsx';
import { profileName } from '../../../lib/format.ts';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { useApi } from '../../../lib/panel-config.tsx';
import { speedChange, useUpdateSpeedProfile, type StartedChange } from '../use-update-speed-profile.ts';
import { ChangeTable } from './change-table.tsx';
import { meOptions } from '../../../api/me.ts';
import { interfaceDetailOptions } from '../../../api/interface.ts';

export interface ChangeBackProps {
  /** A completed change from the audit log. */
  entry: AuditEntry;
  onStarted: (change: StartedChange) => void;
}

/**
 * "Change back to <from>" on a completed change: the same confirm dialog and the same single PATCH
 * (so the same lock and permission at the server), offered only when the server says the change
 * can be undone now (`can_change_back`: nothing running, the interface still on its "to"). The
 * PATCH names the change it undoes, so the server refuses it if that stopped being true.
 */
export function ChangeBack({ entry, onStarted }: ChangeBackProps) {
  const api = useApi();
  const [open, setOpen] = useState(false);
  const me = useQuery(meOptions(api)).data;
  const current = useQuery(interfaceDetailOptions(api, entry.interface_id)).data?.speed_profile;
  const from = entry.from_profile;
  const mutation = useUpdateSpeedProfile({
    onSuccess: (started) => {
      setOpen(false);
      onStarted(started);
    },
    onError: () => setOpen(false),
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
      {mutation.isError ? <ErrorAlert error={mutation.error} context="change" /> : null}
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
