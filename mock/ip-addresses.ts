/**
 * GET /ip_addresses/ip_address in the mock: every address of the seeded interfaces (allocated to the
 * interface's VM, on the interface's network) and the seed's loose addresses. The allocation comes in
 * the spec's `{id, name}` shape, or, for the seed's `liveAllocationShape` addresses, in the
 * `{type, value: {id, name}}` shape a recorded live answer has, so the panel is tested against both.
 */
import type { IpAddressAnswer } from '../protocol/katapult.ts';
import type { MockDb } from './db.ts';

interface Found {
  id: string;
  address: string;
  networkId: string | null;
  allocation: { type: string; id: string; name: string } | null;
}

/** Katapult matches an address, not its spelling: IPv6 is compared in its canonical form. */
export function canonicalAddress(address: string): string {
  const a = address.trim().toLowerCase();
  if (!a.includes(':')) return a;
  try {
    return new URL(`http://[${a}]/`).hostname.slice(1, -1);
  } catch {
    return a;
  }
}

function find(db: MockDb, by: { key: string; value: string }): Found | undefined {
  const wanted = by.key === 'id' ? by.value : canonicalAddress(by.value);
  const matches = (ip: { id: string; address: string }) =>
    by.key === 'id' ? ip.id === wanted : canonicalAddress(ip.address) === wanted;
  for (const nic of db.data.interfaces) {
    const ip = nic.ips?.find(matches);
    if (!ip) continue;
    const vm = db.data.vms.find((v) => v.vm.id === nic.vmId)?.vm;
    return { ...ip, networkId: nic.networkId, allocation: { type: 'VirtualMachine', id: nic.vmId, name: vm?.name ?? '' } };
  }
  return db.data.looseIps.find(matches);
}

type SpecIp = IpAddressAnswer['ip_address'];
/** The spec's answer, except that `network` may be null and `allocation` may come in the live shape. */
export interface IpAddressBody {
  ip_address: Omit<SpecIp, 'network'> & { network: SpecIp['network'] | null };
  allocation: IpAddressAnswer['allocation'] | { type: string; value: { id: string; name: string } };
}

/** The answer for one address, or undefined when the mock has no such address (404 ip_address_not_found). */
export function ipAddressBody(db: MockDb, by: { key: string; value: string }): IpAddressBody | undefined {
  const ip = find(db, by);
  if (!ip) return undefined;
  const network = db.data.networks.find((n) => n.id === ip.networkId);
  const v6 = ip.address.includes(':');
  const a = ip.allocation;
  return {
    ip_address: {
      id: ip.id,
      address: ip.address,
      reverse_dns: `${v6 ? 'v6' : 'v4'}-${ip.id.slice(3).toLowerCase()}.rdns.example.katapult.cloud`,
      vip: false,
      label: null,
      address_with_mask: `${ip.address}/${v6 ? 64 : 24}`,
      network: network ? { id: network.id, name: network.name, permalink: network.permalink } : null,
      allocation_id: a?.id ?? null,
      allocation_type: a?.type ?? null,
    },
    allocation: !a
      ? null
      : db.data.liveAllocationShape.includes(ip.address)
        ? { type: a.type, value: { id: a.id, name: a.name } }
        : { id: a.id, name: a.name },
  };
}
