import CircularProgress from '@mui/material/CircularProgress';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import type { VmRef } from '../../../api/refs.ts';
import type { AuditEntry } from '../../../../protocol/audit.ts';
import { meOptions, recentAuditOptions } from '../../../api/panel.ts';
import { interfaceDetailOptions, speedProfilesOptions, virtualMachineOptions } from '../../../api/speed-profiles.ts';
import { formatRelative } from '../../../lib/time.ts';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { ChangeTicketCopy } from '../../../components/ticket-copy.tsx';
import { useApi } from '../../../lib/panel-config.tsx';
import { SpeedProfileForm, type StartedChange } from './speed-profile-form.tsx';

/** The latest change this panel follows for the interface, as the card's row tells it. */
export interface ChangeInProgress {
  taskId?: string | undefined;
  /** The IP address the lookup that started it began from. */
  ip?: string | undefined;
  to: string;
  status: 'running' | 'completed' | 'failed';
}

export interface ChangeSpeedProfileProps {
  interfaceId: string;
  /** The VM as it was looked up: its organization owns the profiles to choose from. */
  vm: VmRef;
  change?: ChangeInProgress | undefined;
  /** The IP address the lookup started from, for the ticket paragraph. */
  ip?: string | undefined;
  onStarted: (change: StartedChange) => void;
}

/** The profiles of the VM's organization: the VM is asked for its organization first. */
function useOrganizationProfiles(vm: VmRef) {
  const api = useApi();
  const machine = useQuery(virtualMachineOptions(api, vm));
  const organizationId = machine.data?.organization?.id;
  const profiles = useQuery({ ...speedProfilesOptions(api, organizationId ?? ''), enabled: !!organizationId });
  return { profiles: profiles.data, error: machine.error ?? profiles.error };
}

/**
 * The way to change the interface's speed profile, in the card's speed-profile row: what is
 * happening to it (changing to X…, changed, failed), then the combobox and the button.
 */
const profileName = (p: AuditEntry['to_profile']) => p.name ?? p.permalink ?? p.id ?? 'another profile';
const since = (iso: string) => formatRelative(Date.parse(iso) / 1000);

export function ChangeSpeedProfile({ interfaceId, vm, change, ip, onStarted }: ChangeSpeedProfileProps) {
  const api = useApi();
  const detail = useQuery(interfaceDetailOptions(api, interfaceId));
  const { profiles, error } = useOrganizationProfiles(vm);
  // The server decides who may change and whether a change already holds the interface; this shows it.
  const me = useQuery(meOptions(api)).data;
  const recent = useQuery(recentAuditOptions(api, interfaceId)).data?.entries;
  const running = change?.status === 'running';
  const holder = running ? undefined : recent?.find((e) => e.blocking);
  const lost = recent?.[0]?.expired ? recent[0] : undefined;
  if (detail.isError) return <ErrorAlert error={detail.error} />;
  if (me && !me.may_change) {
    return (
      <Typography variant="body2" role="status" sx={{ color: 'text.secondary' }}>
        You can view this interface’s speed profile, but not change it{me.reason ? `: ${me.reason}` : '.'}
      </Typography>
    );
  }
  const iface = detail.data;
  const network = iface?.network ?? iface?.virtual_network;
  return (
    <Stack sx={{ gap: 1.5 }}>
      {change ? (
        <Stack direction="row" sx={{ gap: 1, alignItems: 'center', flexWrap: 'wrap' }}>
          <ChangeStatus change={change} />
          <ChangeTicket change={change} record={recent?.find((e) => e.task_id === change.taskId)} interfaceName={iface?.name} ip={change.ip ?? ip} />
        </Stack>
      ) : null}
      {holder ? (
        <Stack direction="row" role="status" sx={{ gap: 1, alignItems: 'center', color: 'info.main' }}>
          <CircularProgress size={14} color="inherit" aria-hidden />
          <Typography variant="body2" sx={{ fontWeight: 500 }}>
            Changing to {profileName(holder.to_profile)}: started by {holder.user} {since(holder.at)}. One change at a time: wait for it to end.
          </Typography>
        </Stack>
      ) : null}
      {lost && !holder && !change ? (
        <Typography variant="body2" sx={{ color: 'warning.main' }}>
          A change by {lost.user} to {profileName(lost.to_profile)} started {since(lost.at)} was never seen to end: check the current profile above.
        </Typography>
      ) : null}
      {error ? <ErrorAlert error={error} /> : null}
      <SpeedProfileForm
        key={interfaceId}
        target={{
          interfaceId,
          interfaceName: iface?.name,
          vmName: iface?.virtual_machine?.name,
          vmId: iface?.virtual_machine?.id,
          network: network ? { id: network.id, name: network.name } : undefined,
        }}
        current={iface ? { id: iface.speed_profile?.id, name: iface.speed_profile?.name } : undefined}
        profiles={profiles}
        locked={running || holder !== undefined}
        onStarted={onStarted}
      />
    </Stack>
  );
}

/** The card's change as a ticket paragraph: the server's record of it, with what this tab saw of its end. */
function ChangeTicket({ change, record, interfaceName, ip }: { change: ChangeInProgress; record: AuditEntry | undefined; interfaceName: string | undefined; ip: string | undefined }) {
  if (!record) return null;
  const seenEnd = change.status !== 'running' && (record.outcome === 'pending' || record.outcome === 'running');
  return <ChangeTicketCopy entry={record} interfaceName={interfaceName} ip={ip} override={seenEnd ? { outcome: change.status } : undefined} />;
}

function ChangeStatus({ change }: { change: ChangeInProgress }) {
  if (change.status === 'running') {
    return (
      <Stack direction="row" role="status" sx={{ gap: 1, alignItems: 'center', color: 'info.main' }}>
        <CircularProgress size={14} color="inherit" aria-hidden />
        <Typography variant="body2" sx={{ fontWeight: 500 }}>
          Changing to {change.to}…
        </Typography>
      </Stack>
    );
  }
  return (
    <Typography variant="body2" role="status" sx={{ fontWeight: 500, color: change.status === 'completed' ? 'success.main' : 'error.main' }}>
      {change.status === 'completed' ? `✓ Changed to ${change.to}` : 'The last change failed: the speed profile above is unchanged.'}
    </Typography>
  );
}
