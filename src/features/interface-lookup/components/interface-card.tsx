import { useId, type ReactNode, type Ref } from 'react';
import type { LookupInterface } from '../../../api/types.ts';
import { StatusChip } from '../../../components/status-chip.tsx';
import { CopyButton } from '../../../components/copy-button.tsx';
import { orNotReported, Value } from '../../../components/value.tsx';

export interface InterfaceCardProps {
  /** The interface; `undefined` while the lookup is under way (the card's frame with placeholders). */
  iface: LookupInterface | undefined;
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

const placeholder = <span className="kp-skeleton kp-skeleton-text" />;

/** One line of the card; `pending`: the lookup is under way, a placeholder stands for the value. */
function Row({ label, pending, children }: { label: string; pending: boolean; children: ReactNode }) {
  return (
    <div className="kp-card-row">
      <dt>{label}</dt>
      <dd>{pending ? placeholder : children}</dd>
    </div>
  );
}

/**
 * region "Network interface". Plain elements and the panel's CSS (`.kp-card…` in src/app/shell.css):
 * this is what support staff wait for after "Look up", and MUI's Card, Typography and Buttons cost
 * tens of milliseconds of style work on their first render (bench --only lookup).
 *
 * While the lookup is under way (`iface` undefined) the same card is drawn with placeholders, as a
 * busy status rather than the region: the frame is laid out during the round trip, and the answer
 * only fills in its values (no layout shift, and less to do between the answer and the card).
 */
export function InterfaceCard({ iface, speedProfile, speedProfileText, headingRef }: InterfaceCardProps) {
  const headingId = useId();
  const net = iface?.network ?? iface?.virtual_network;
  const isVirtual = !iface?.network && !!iface?.virtual_network;
  const state = iface?.state;
  const busy = { role: 'status', 'aria-label': 'Looking up the interface', 'aria-busy': true } as const;
  return (
    <section className="kp-card" {...(iface ? { 'aria-labelledby': headingId } : busy)}>
      <div className="kp-card-head">
        <h2 id={headingId} ref={headingRef} tabIndex={-1} className="kp-card-title">
          Network interface
        </h2>
        {iface ? <CopyButton label="summary" showLabel text={interfaceSummary(iface, speedProfileText)} /> : null}
      </div>
      <dl className="kp-card-list">
        <Row label="Virtual machine" pending={!iface}>
          <Value>{iface?.virtual_machine?.name}</Value> <span className="kp-mono kp-secondary">{iface?.virtual_machine?.id}</span>
          <CopyButton label="VM id" text={iface?.virtual_machine?.id} />
        </Row>
        <Row label="Interface" pending={!iface}>
          <Value>{iface?.name}</Value> <span className="kp-mono kp-secondary">{iface?.id}</span>
          <CopyButton label="interface id" text={iface?.id} />
        </Row>
        <Row label={isVirtual ? 'Virtual network' : 'Network'} pending={!iface}>
          <Value>{net?.name}</Value> <span className="kp-mono kp-secondary">{net?.id}</span>
          <CopyButton label={isVirtual ? 'virtual network id' : 'network id'} text={net?.id} />
        </Row>
        <Row label="MAC address" pending={!iface}>
          <span className="kp-mono">
            <Value>{iface?.mac_address}</Value>
          </span>
          <CopyButton label="MAC address" text={iface?.mac_address} />
        </Row>
        <Row label="State" pending={!iface}>
          {state ? <StatusChip label={state} colour={STATE_COLOURS[state] ?? 'default'} /> : <Value>{undefined}</Value>}
        </Row>
        <Row label="IP addresses" pending={!iface}>
          {iface?.ip_addresses === undefined ? (
            <Value>{undefined}</Value>
          ) : iface.ip_addresses.length === 0 ? (
            'none'
          ) : (
            <ul className="kp-plain-list">
              {iface.ip_addresses.map((ip, i) => (
                <li key={ip.id ?? i}>
                  <StatusChip label={ipFamily(ip.address)} variant="filled" />
                  <span className="kp-mono">
                    <Value>{ip.address}</Value>
                  </span>
                  <CopyButton label={`IP address ${ip.address ?? ''}`.trim()} text={ip.address} />
                </li>
              ))}
            </ul>
          )}
        </Row>
        <Row label="Speed profile" pending={!iface}>
          {speedProfile}
        </Row>
      </dl>
    </section>
  );
}
