import CircularProgress from '@mui/material/CircularProgress';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import type { VmRef } from '../../../api/refs.ts';
import type { TaskStatus } from '../../../api/types.ts';
import type { AuditEntry } from '../../../../protocol/audit.ts';
import { profileName } from '../../../lib/format.ts';
import { formatRelative } from '../../../lib/time.ts';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { ChangeTicketCopy } from '../../../components/ticket-copy.tsx';
import { useApi } from '../../../lib/panel-config.tsx';
import { RELATIVE_CLOCK_MS, useNow } from '../../../lib/use-now.ts';
import type { SpeedChange, StartedChange } from '../use-update-speed-profile.ts';
import type { ApiError } from '../../../api/api-error.ts';
import { SpeedProfileForm } from './speed-profile-form.tsx';
import { meOptions } from '../../../api/me.ts';
import { recentAuditOptions } from '../../../api/audit.ts';
import { interfaceDetailOptions } from '../../../api/interface.ts';
import { vmSpeedProfilesOptions } from '../../../api/vm.ts';

/** The latest change this panel follows for the interface, as the card's row tells it. */
export interface ChangeInProgress {
  taskId?: string | undefined;
  /** The IP address the lookup that started it began from. */
  ip?: string | undefined;
  to: string;
  /** `unknown`: Katapult no longer knows the task (task_not_found), so how it ended cannot be told. */
  status: Exclude<TaskStatus, 'pending'> | 'unknown';
}

export interface ChangeSpeedProfileProps {
  interfaceId: string;
  /** The VM as it was looked up: its organization owns the profiles to choose from. */
  vm: VmRef;
  change?: ChangeInProgress | undefined;
  /** The IP address the lookup started from, for the ticket paragraph. */
  ip?: string | undefined;
  onStarted: (change: StartedChange) => void;
  /** A change answered with an error (refused, or no usable answer): for the activity log. */
  onRefused?: ((change: SpeedChange, error: ApiError) => void) | undefined;
  /** The progress of someone else's running change, by its task (composed by the app from the task feature). */
  taskBar?: ((taskId: string) => ReactNode) | undefined;
}

/**
 * The way to change the interface's speed profile, in the card's speed-profile row: what is
 * happening to it (changing to X…, changed, failed), then the combobox and the button.
 */
const targetName = (p: AuditEntry['to_profile']) => profileName(p) ?? 'another profile';
const since = (iso: string, nowMs: number) => formatRelative(Date.parse(iso) / 1000, nowMs);

export function ChangeSpeedProfile({ interfaceId, vm, change, ip, onStarted, onRefused, taskBar }: ChangeSpeedProfileProps) {
  const api = useApi();
  const detail = useQuery(interfaceDetailOptions(api, interfaceId));
  const { data: profiles, error } = useQuery(vmSpeedProfilesOptions(api, vm));
  // The server decides who may change and whether a change already holds the interface; this shows it.
  const me = useQuery(meOptions(api)).data;
  const recent = useQuery(recentAuditOptions(api, interfaceId)).data?.entries;
  const running = change?.status === 'running';
  const holder = running ? undefined : recent?.find((e) => e.blocking);
  const lost = recent?.[0]?.expired ? recent[0] : undefined;
  // "started 2 min ago" moves on while the card is open.
  const nowMs = useNow(holder || lost ? RELATIVE_CLOCK_MS : undefined);
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
        <Stack sx={{ gap: 0.5 }}>
          <Stack direction="row" role="status" sx={{ gap: 1, alignItems: 'center', color: 'info.main' }}>
            <CircularProgress size={14} color="inherit" aria-hidden />
            <Typography variant="body2" sx={{ fontWeight: 500 }}>
              Changing to {targetName(holder.to_profile)}: started by {holder.user} {since(holder.at, nowMs)}. One change at a time: wait for it to end.
            </Typography>
          </Stack>
          {holder.task_id && taskBar ? taskBar(holder.task_id) : null}
        </Stack>
      ) : null}
      {lost && !holder && !change ? (
        <Typography variant="body2" sx={{ color: 'warning.main' }}>
          A change by {lost.user} to {targetName(lost.to_profile)} started {since(lost.at, nowMs)} was never seen to end: check the current profile above.
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
        onRefused={onRefused}
      />
    </Stack>
  );
}

/** The card's change as a ticket paragraph: the server's record of it, with what this tab saw of its end. */
function ChangeTicket({ change, record, interfaceName, ip }: { change: ChangeInProgress; record: AuditEntry | undefined; interfaceName: string | undefined; ip: string | undefined }) {
  if (!record) return null;
  // An end this tab saw (not an unknown one) is newer than a record still open.
  const ended = change.status === 'completed' || change.status === 'failed' ? change.status : undefined;
  const seenEnd = ended && (record.outcome === 'pending' || record.outcome === 'running');
  return <ChangeTicketCopy entry={record} interfaceName={interfaceName} ip={ip} override={seenEnd ? { outcome: ended } : undefined} />;
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
  if (change.status === 'unknown') {
    return (
      <Typography variant="body2" role="status" sx={{ fontWeight: 500, color: 'warning.main' }}>
        The change to {change.to} cannot be followed: Katapult no longer knows its task. The speed profile above is the one Katapult reports now.
      </Typography>
    );
  }
  return (
    <Typography variant="body2" role="status" sx={{ fontWeight: 500, color: change.status === 'completed' ? 'success.main' : 'error.main' }}>
      {change.status === 'completed' ? `✓ Changed to ${change.to}` : 'The last change failed: the speed profile above is unchanged.'}
    </Typography>
  );
}
