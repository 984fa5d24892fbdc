import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { AuditEntry } from '../../../../protocol/audit.ts';
import { meOptions } from '../../../api/panel.ts';
import { interfaceDetailOptions, speedProfilesOptions, virtualMachineOptions } from '../../../api/speed-profiles.ts';
import type { SpeedProfile } from '../../../api/types.ts';
import { formatSpeeds } from '../../../lib/format.ts';
import { formatExact } from '../../../lib/time.ts';
import { ConfirmDialog } from '../../../components/confirm-dialog.tsx';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { useApi, usePanelConfig } from '../../../lib/panel-config.tsx';
import { useUpdateSpeedProfile } from '../api/update-speed-profile.ts';
import { ChangeTable } from './change-table.tsx';
import type { ChangeInput, StartedChange } from './speed-profile-form.tsx';

export interface ChangeBackProps {
  /** A completed change from the audit log. */
  entry: AuditEntry;
  onStarted: (change: StartedChange) => void;
}

const nameOf = (p: { id: string | null; name: string | null } | null) => p?.name ?? p?.id ?? undefined;

/** A profile's speeds in the one speed format, once the organization's profiles are known. */
const speedsOf = (profiles: SpeedProfile[] | undefined, id: string | null) => {
  const p = id ? profiles?.find((x) => x.id === id) : undefined;
  return p ? formatSpeeds(p) : profiles ? 'not reported' : 'loading…';
};

/**
 * "Change back to <from>" on a completed change: the same confirm dialog and the same single PATCH
 * (so the same lock and permission at the server), offered only while the interface still has the
 * change's "to" profile.
 */
export function ChangeBack({ entry, onStarted }: ChangeBackProps) {
  const api = useApi();
  const [open, setOpen] = useState(false);
  const me = useQuery(meOptions(api)).data;
  const detail = useQuery(interfaceDetailOptions(api, entry.interface_id)).data;
  const current = detail?.speed_profile;
  // The dialog gives both speeds, as a normal change's does: the organization's profiles, asked for when it opens.
  const vmRef = entry.vm.id ? ({ kind: 'id', value: entry.vm.id } as const) : undefined;
  const organizationId = useQuery({ ...virtualMachineOptions(api, vmRef ?? { kind: 'id', value: '' }), enabled: open && !!vmRef }).data?.organization?.id;
  const profiles = useQuery({ ...speedProfilesOptions(api, organizationId ?? ''), enabled: open && !!organizationId }).data;
  const { locale } = usePanelConfig();
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
      interfaceName: detail?.name,
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
