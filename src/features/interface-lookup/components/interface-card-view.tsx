import { styled, type Theme } from '@mui/material/styles';
import Divider from '@mui/material/Divider';
import Paper from '@mui/material/Paper';
import Skeleton from '@mui/material/Skeleton';
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

/*
 * The card's parts, styled once here rather than by `sx` objects made on every render: the card draws
 * a dozen facts and a list of addresses in the frame that shows the lookup's answer. Plain elements
 * with the theme's type styles and CSS variables, not a Typography or Box per fact.
 */
const palette = (theme: Theme) => (theme.vars ?? theme).palette;

/** Ids in monospace, sized in the theme's rem (which follows the host's root font size inside mount()). */
const Mono = styled('span')(({ theme }) => ({ fontFamily: 'monospace', fontSize: theme.typography.pxToRem(13) }));
const Secondary = styled('span')(({ theme }) => ({ color: palette(theme).text.secondary }));
const MonoId = styled(Mono)(({ theme }) => ({ color: palette(theme).text.secondary }));
const Strong = styled('span')({ fontWeight: 600 });
const FirstFact = styled('div')(({ theme }) => ({ gridColumn: '1 / -1', paddingBottom: theme.spacing(2), borderBottom: `1px solid ${palette(theme).divider}` }));
const Term = styled('dt')(({ theme }) => ({ ...theme.typography.caption, display: 'block', color: palette(theme).text.secondary }));
const Detail = styled('dd')(({ theme }) => ({
  ...theme.typography.body2,
  margin: 0,
  marginTop: theme.spacing(0.25),
  display: 'flex',
  flexWrap: 'wrap',
  alignItems: 'center',
  columnGap: theme.spacing(1),
  minHeight: 26,
}));
const Facts = styled('dl')(({ theme }) => ({
  margin: 0,
  padding: theme.spacing(2, 2.5),
  display: 'grid',
  gridTemplateColumns: 'minmax(0, 1fr)',
  columnGap: theme.spacing(4),
  rowGap: theme.spacing(2),
  overflowWrap: 'anywhere',
  [theme.breakpoints.up('md')]: { gridTemplateColumns: 'repeat(2, minmax(0, 1fr))' },
}));
const Addresses = styled('ul')(({ theme }) => ({ margin: 0, padding: 0, listStyle: 'none', display: 'grid', gap: theme.spacing(0.5) }));
const Address = styled('li')(({ theme }) => ({ display: 'flex', alignItems: 'center', gap: theme.spacing(1) }));
const Control = styled('div')(({ theme }) => ({ flexBasis: '100%', marginTop: theme.spacing(1) }));
const Heading = styled('h2')(({ theme }) => ({
  ...theme.typography.h2,
  margin: 0,
  borderRadius: Number(theme.shape.borderRadius) / 2,
  '&:focus': { outline: 'none' },
  // The focus moved here after a lookup shows a ring only to keyboard users.
  '&:focus-visible': { outline: `2px solid ${palette(theme).primary.main}`, outlineOffset: 4 },
}));
const HeadingRow = styled('div')(({ theme }) => ({ padding: theme.spacing(1.5, 2.5) }));
const Actions = styled('div')(({ theme }) => ({ display: 'flex', flexWrap: 'wrap', gap: theme.spacing(1), padding: theme.spacing(0, 2.5, 2) }));
const Foot = styled('div')(({ theme }) => ({ padding: theme.spacing(2, 2.5) }));
const INLINE = { display: 'inline-block' } as const;

/** One fact of the card: its label, and its value (a placeholder while the lookup runs). */
function Fact({ label, pending, first = false, children }: { label: string; pending: boolean; first?: boolean; children: ReactNode }) {
  const content = (
    <>
      <Term>{label}</Term>
      <Detail>{pending ? <Skeleton width="60%" /> : children}</Detail>
    </>
  );
  return first ? <FirstFact>{content}</FirstFact> : <div>{content}</div>;
}

/** A name with its id beside it, and a button to copy the id. */
function Named({ name, id, copyLabel }: { name: string | undefined; id: string | undefined; copyLabel: string }) {
  return (
    <>
      <Value>{name}</Value> <MonoId>{id}</MonoId>
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
      <section {...(iface ? { 'aria-labelledby': headingId } : busy)}>
        <HeadingRow>
          <Heading id={headingId} ref={headingRef} tabIndex={-1}>
            Network interface
          </Heading>
        </HeadingRow>
        <Divider />
        <Facts>
          <Fact label="Speed profile" pending={pending} first>
            <Strong>{speedProfilePending ? <Skeleton component="span" width={120} sx={INLINE} /> : <Value>{speedProfile?.name}</Value>}</Strong>
            {/* A space in the text (the flex gap alone is visual): read and copied as "10 Gbps (up …)". */}
            {speedProfile?.speeds ? <> <Secondary>({speedProfile.speeds})</Secondary></> : null}
            {speedProfileControl ? <Control>{speedProfileControl}</Control> : null}
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
            <Mono>
              <Value>{iface?.mac_address}</Value>
            </Mono>
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
              <Addresses>
                {iface.ip_addresses.map((ip, i) => (
                  <Address key={ip.id ?? i}>
                    <StatusChip label={ipFamily(ip.address)} />
                    <Mono>
                      <Value>{ip.address}</Value>
                    </Mono>
                    <CopyButton label={`IP address ${ip.address ?? ''}`.trim()} text={ip.address} />
                  </Address>
                ))}
              </Addresses>
            )}
          </Fact>
        </Facts>
        {/* After the facts it copies: nothing stands between the heading and the change (the row above). */}
        {iface ? (
          <Actions>
            <CopyButton label="summary" showLabel text={() => interfaceSummary(iface, speedProfile)} />
            <CopyButton label="link" showLabel text={link} />
          </Actions>
        ) : null}
      </section>
      {footer ? (
        <>
          <Divider />
          <Foot>{footer}</Foot>
        </>
      ) : null}
    </Paper>
  );
}
