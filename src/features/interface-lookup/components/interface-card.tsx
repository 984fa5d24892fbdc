import Box from '@mui/material/Box';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useId, type ReactNode, type Ref } from 'react';
import type { LookupInterface } from '../../../api/types.ts';
import { StatusChip } from '../../../components/status-chip.tsx';
import { CopyButton } from '../../../components/copy-button.tsx';
import { orNotReported, Value } from '../../../components/value.tsx';

export interface InterfaceCardProps {
  iface: LookupInterface;
  /** The current speed profile, rendered by the speed-profile feature. */
  speedProfile: ReactNode;
  /** Plain text of the current speed profile for the ticket summary. */
  speedProfileText?: string | undefined;
  headingRef?: Ref<HTMLHeadingElement>;
}

const STATE_COLOURS: Record<string, 'success' | 'warning' | 'error' | 'default'> = {
  attached: 'success',
  detached: 'warning',
  failed: 'error',
};

export const ipFamily = (address: string | undefined) => (address?.includes(':') ? 'IPv6' : 'IPv4');

export function interfaceSummary(iface: LookupInterface, speedProfileText?: string) {
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
    `Speed profile: ${speedProfileText ?? 'not reported'}`,
  ].join('\n');
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Box component="div" sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', sm: '11rem 1fr' }, gap: { xs: 0, sm: 2 }, py: 0.75 }}>
      <Typography component="dt" variant="body2" sx={{ color: 'text.secondary', fontWeight: 500 }}>
        {label}
      </Typography>
      <Typography component="dd" variant="body2" sx={{ m: 0, overflowWrap: 'anywhere', minWidth: 0 }}>
        {children}
      </Typography>
    </Box>
  );
}

export function InterfaceCard({ iface, speedProfile, speedProfileText, headingRef }: InterfaceCardProps) {
  const headingId = useId();
  const net = iface.network ?? iface.virtual_network;
  const isVirtual = !iface.network && !!iface.virtual_network;
  const state = iface.state;
  return (
    <Card component="section" aria-labelledby={headingId} variant="outlined">
      <CardContent>
        <Stack direction="row" sx={{ justifyContent: 'space-between', alignItems: 'flex-start', gap: 1, flexWrap: 'wrap' }}>
          <Typography id={headingId} ref={headingRef} tabIndex={-1} component="h2" variant="h6" sx={{ overflowWrap: 'anywhere', minWidth: 0 }}>
            Network interface
          </Typography>
          <CopyButton label="summary" showLabel text={interfaceSummary(iface, speedProfileText)} />
        </Stack>
        <Box component="dl" sx={{ m: 0 }}>
          <Row label="Virtual machine">
            <Value>{iface.virtual_machine?.name}</Value>{' '}
            <Box component="span" sx={{ fontFamily: 'monospace', color: 'text.secondary' }}>
              {iface.virtual_machine?.id}
            </Box>
            <CopyButton label="VM id" text={iface.virtual_machine?.id} />
          </Row>
          <Row label="Interface">
            <Value>{iface.name}</Value>{' '}
            <Box component="span" sx={{ fontFamily: 'monospace', color: 'text.secondary' }}>
              {iface.id}
            </Box>
            <CopyButton label="interface id" text={iface.id} />
          </Row>
          <Row label={isVirtual ? 'Virtual network' : 'Network'}>
            <Value>{net?.name}</Value>{' '}
            <Box component="span" sx={{ fontFamily: 'monospace', color: 'text.secondary' }}>
              {net?.id}
            </Box>
            <CopyButton label={isVirtual ? 'virtual network id' : 'network id'} text={net?.id} />
          </Row>
          <Row label="MAC address">
            <Box component="span" sx={{ fontFamily: 'monospace' }}>
              <Value>{iface.mac_address}</Value>
            </Box>
            <CopyButton label="MAC address" text={iface.mac_address} />
          </Row>
          <Row label="State">
            {state ? (
              <StatusChip label={state} colour={STATE_COLOURS[state] ?? 'default'} />
            ) : (
              <Value>{undefined}</Value>
            )}
          </Row>
          <Row label="IP addresses">
            {iface.ip_addresses === undefined ? (
              <Value>{undefined}</Value>
            ) : iface.ip_addresses.length === 0 ? (
              'none'
            ) : (
              <Box component="ul" sx={{ m: 0, p: 0, listStyle: 'none' }}>
                {iface.ip_addresses.map((ip, i) => (
                  <li key={ip.id ?? i}>
                    <StatusChip label={ipFamily(ip.address)} variant="filled" />
                    <Box component="span" sx={{ fontFamily: 'monospace' }}>
                      <Value>{ip.address}</Value>
                    </Box>
                    <CopyButton label={`IP address ${ip.address ?? ''}`.trim()} text={ip.address} />
                  </li>
                ))}
              </Box>
            )}
          </Row>
          <Row label="Speed profile">{speedProfile}</Row>
        </Box>
      </CardContent>
    </Card>
  );
}
