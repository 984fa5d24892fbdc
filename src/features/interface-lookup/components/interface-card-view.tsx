import Box from '@mui/material/Box';
import type { Theme } from '@mui/material/styles';
import Divider from '@mui/material/Divider';
import Paper from '@mui/material/Paper';
import Skeleton from '@mui/material/Skeleton';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useId, type ReactNode, type Ref } from 'react';
import type { LookupInterface } from '../../../api/types.ts';
import { CopyButton } from '../../../components/copy-button.tsx';
import { StatusChip } from '../../../components/status-chip.tsx';
import { orNotReported, Value } from '../../../components/value.tsx';

export interface InterfaceCardViewProps {
  /** The interface; `undefined` while the lookup is under way (the card's frame with placeholders). */
  iface: LookupInterface | undefined;
  /** The current speed profile: its name, and its speeds once known ("up 1 Gbit/s, down 1 Gbit/s"). */
  speedProfile: { name: string | undefined; speeds: string | undefined } | undefined;
  /** The interface's own read (the only answer with its profile) is under way: a placeholder, not "not reported". */
  speedProfilePending?: boolean;
  /** Drawn in the speed-profile row, after the current profile: the way to change it. */
  speedProfileControl?: ReactNode;
  /** Drawn at the card's foot: the interface's recent changes. */
  footer?: ReactNode;
  headingRef?: Ref<HTMLHeadingElement>;
  /** The link to this interface for a ticket (`?vm=&network=` or `?ip=`, never `&task=`). */
  link?: string | undefined;
}


export const ipFamily = (address: string | undefined) => (address?.includes(':') ? 'IPv6' : 'IPv4');

export function interfaceSummary(iface: LookupInterface, speedProfile?: InterfaceCardViewProps['speedProfile']) {
  const profile = speedProfile?.name && (speedProfile.speeds ? `${speedProfile.name} (${speedProfile.speeds})` : speedProfile.name);
  const net = iface.network ?? iface.virtual_network;
  const kind = iface.network ? 'Network' : iface.virtual_network ? 'Virtual network' : 'Network';
  const ips = iface.ip_addresses ?? [];
  return [
    `VM: ${orNotReported(iface.virtual_machine?.name)} (${orNotReported(iface.virtual_machine?.id)})`,
    `Interface: ${orNotReported(iface.name)} (${orNotReported(iface.id)})`,
    `${kind}: ${orNotReported(net?.name)} (${orNotReported(net?.id)})`,
    `MAC address: ${orNotReported(iface.mac_address)}`,
    `State: ${orNotReported(iface.state)}`,
    ...(iface.ip_addresses === undefined
      ? ['IP addresses: not reported']
      : ips.length === 0
        ? ['IP addresses: none']
        : ips.map((ip) => `${ipFamily(ip.address)}: ${orNotReported(ip.address)}`)),
    `Speed profile: ${profile || 'not reported'}`,
  ].join('\n');
}

/** Ids in monospace, sized in the theme's rem (which follows the host's root font size inside mount()). */
const mono = { fontFamily: 'monospace', fontSize: (theme: Theme) => theme.typography.pxToRem(13) } as const;

/** One fact of the card: its label, and its value (a placeholder while the lookup runs). */
function Fact({ label, pending, first = false, children }: { label: string; pending: boolean; first?: boolean; children: ReactNode }) {
  return (
    <Box sx={first ? { gridColumn: '1 / -1', pb: 2, borderBottom: 1, borderColor: 'divider' } : undefined}>
      <Typography component="dt" variant="caption" sx={{ color: 'text.secondary', display: 'block' }}>
        {label}
      </Typography>
      <Typography component="dd" variant="body2" sx={{ m: 0, mt: 0.25, display: 'flex', flexWrap: 'wrap', alignItems: 'center', columnGap: 1, minHeight: 26 }}>
        {pending ? <Skeleton width="60%" /> : children}
      </Typography>
    </Box>
  );
}

/** A name with its id beside it, and a button to copy the id. */
function Named({ name, id, copyLabel }: { name: string | undefined; id: string | undefined; copyLabel: string }) {
  return (
    <>
      <Value>{name}</Value>{' '}
      <Box component="span" sx={{ ...mono, color: 'text.secondary' }}>
        {id}
      </Box>
      <CopyButton label={copyLabel} text={id} />
    </>
  );
}

/**
 * region "Network interface": its speed profile with the control to change it first (one Tab from
 * the heading), then the interface's facts in a two-column grid on wide screens, then its recent changes. While the lookup runs the
 * same frame is drawn with placeholders, as a busy status rather than the region.
 */
export function InterfaceCardView({ iface, speedProfile, speedProfilePending = false, speedProfileControl, footer, headingRef, link }: InterfaceCardViewProps) {
  const headingId = useId();
  const net = iface?.network ?? iface?.virtual_network;
  const isVirtual = !iface?.network && !!iface?.virtual_network;
  const state = iface?.state;
  const pending = !iface;
  const busy = { role: 'status', 'aria-label': 'Looking up the interface', 'aria-busy': true } as const;
  return (
    // The footer (the audit's "Recent changes") sits on the same card but outside the region, so the
    // region's text is this interface's own facts, not earlier changes' profile names.
    <Paper>
      <Box component="section" {...(iface ? { 'aria-labelledby': headingId } : busy)}>
        <Stack direction="row" sx={{ alignItems: 'center', justifyContent: 'space-between', gap: 2, px: 2.5, py: 1.5 }}>
          <Typography
            id={headingId}
            ref={headingRef}
            tabIndex={-1}
            component="h2"
            variant="h2"
            sx={(theme) => ({
              borderRadius: 0.5,
              '&:focus': { outline: 'none' },
              // The focus moved here after a lookup shows a ring only to keyboard users.
              '&:focus-visible': { outline: `2px solid ${(theme.vars ?? theme).palette.primary.main}`, outlineOffset: 4 },
            })}
          >
            Network interface
          </Typography>
        </Stack>
        <Divider />
        <Box
          component="dl"
          sx={{ m: 0, px: 2.5, py: 2, display: 'grid', gridTemplateColumns: { xs: 'minmax(0, 1fr)', md: 'repeat(2, minmax(0, 1fr))' }, columnGap: 4, rowGap: 2, overflowWrap: 'anywhere' }}
        >
          <Fact label="Speed profile" pending={pending} first>
            <Box component="span" sx={{ fontWeight: 600 }}>
              {speedProfilePending ? <Skeleton component="span" width={120} sx={{ display: 'inline-block' }} /> : <Value>{speedProfile?.name}</Value>}
            </Box>
            {/* A space in the text (the flex gap alone is visual): read and copied as "10 Gbps (up …)". */}
            {speedProfile?.speeds ? <> <Box component="span" sx={{ color: 'text.secondary' }}>({speedProfile.speeds})</Box></> : null}
            {speedProfileControl ? <Box sx={{ flexBasis: '100%', mt: 1 }}>{speedProfileControl}</Box> : null}
          </Fact>
          <Fact label="Virtual machine" pending={pending}>
            <Named name={iface?.virtual_machine?.name} id={iface?.virtual_machine?.id} copyLabel="VM id" />
          </Fact>
          <Fact label="Interface" pending={pending}>
            <Named name={iface?.name} id={iface?.id} copyLabel="interface id" />
          </Fact>
          <Fact label={isVirtual ? 'Virtual network' : 'Network'} pending={pending}>
            <Named name={net?.name} id={net?.id} copyLabel={isVirtual ? 'virtual network id' : 'network id'} />
          </Fact>
          <Fact label="MAC address" pending={pending}>
            <Box component="span" sx={mono}>
              <Value>{iface?.mac_address}</Value>
            </Box>
            <CopyButton label="MAC address" text={iface?.mac_address} />
          </Fact>
          <Fact label="State" pending={pending}>
            {state ? <StatusChip label={state} status={state} /> : <Value>{undefined}</Value>}
          </Fact>
          <Fact label="IP addresses" pending={pending}>
            {iface?.ip_addresses === undefined ? (
              <Value>{undefined}</Value>
            ) : iface.ip_addresses.length === 0 ? (
              'none'
            ) : (
              <Box component="ul" sx={{ m: 0, p: 0, listStyle: 'none', display: 'grid', gap: 0.5 }}>
                {iface.ip_addresses.map((ip, i) => (
                  <Box component="li" key={ip.id ?? i} sx={{ display: 'flex', alignItems: 'center', gap: 1 }}>
                    <StatusChip label={ipFamily(ip.address)} />
                    <Box component="span" sx={mono}>
                      <Value>{ip.address}</Value>
                    </Box>
                    <CopyButton label={`IP address ${ip.address ?? ''}`.trim()} text={ip.address} />
                  </Box>
                ))}
              </Box>
            )}
          </Fact>
        </Box>
        {/* After the facts it copies: nothing stands between the heading and the change (the row above). */}
        {iface ? (
          <Stack direction="row" sx={{ px: 2.5, pb: 2, gap: 1, flexWrap: 'wrap' }}>
            <CopyButton label="summary" showLabel text={interfaceSummary(iface, speedProfile)} />
            <CopyButton label="link" showLabel text={link} />
          </Stack>
        ) : null}
      </Box>
      {footer ? (
        <>
          <Divider />
          <Box sx={{ px: 2.5, py: 2 }}>{footer}</Box>
        </>
      ) : null}
    </Paper>
  );
}
