import { getResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { getDb, resetDb } from './db.ts';
import type { KatapultErrorEnvelope } from '../protocol/panel.ts';
import { handlers } from './handlers.ts';
import type { IpAddressBody } from './ip-addresses.ts';
import { DEMO } from './seed.ts';

let sessions = 0;
/** A fresh mock session and a GET of one address in it. */
function session() {
  const id = `ip-test-${process.pid}-${sessions++}`;
  resetDb(id);
  const get = async (query: Record<string, string>) => {
    const url = `http://katapult.mock/core/v1/ip_addresses/ip_address?${new URLSearchParams(query).toString()}`;
    const res = await getResponse(handlers, new Request(url, { headers: { 'x-mock-session': id } }));
    return { status: res!.status, json: (await res!.json()) as IpAddressBody & Partial<KatapultErrorEnvelope> };
  };
  return { id, get, byAddress: (address: string) => get({ 'ip_address[address]': address }) };
}

describe('the mock’s GET /ip_addresses/ip_address', () => {
  it('answers every address of every seeded interface, allocated to its VM on its network', async () => {
    const { id, byAddress } = session();
    const db = getDb(id);
    const addresses = db.data.interfaces.flatMap((nic) => (nic.ips ?? []).map((ip) => ({ nic, ip })));
    expect(addresses.some(({ ip }) => ip.address.includes(':'))).toBe(true);
    for (const { nic, ip } of addresses) {
      const { status, json } = await byAddress(ip.address);
      expect(status, ip.address).toBe(200);
      expect(json.ip_address).toMatchObject({ id: ip.id, address: ip.address, allocation_id: nic.vmId, allocation_type: 'VirtualMachine' });
      expect(json.ip_address.network?.id ?? null).toBe(nic.networkId);
      const vmName = db.data.vms.find((v) => v.vm.id === nic.vmId)?.vm.name;
      const allocation = ip.address === DEMO.ipLiveShape ? { type: 'VirtualMachine', value: { id: nic.vmId, name: vmName } } : { id: nic.vmId, name: vmName };
      expect(json.allocation, ip.address).toEqual(allocation);
    }
  });

  it('answers the spec’s {id, name} allocation, with the network, for the demo VM’s IPv4 and IPv6', async () => {
    const { byAddress } = session();
    for (const address of [DEMO.ipv4, DEMO.ipv6, DEMO.ipv6.toUpperCase(), '2a03:2800:0010:0001:0:0:0:42']) {
      const { status, json } = await byAddress(address);
      expect(status, address).toBe(200);
      expect(json.allocation).toEqual({ id: DEMO.vm, name: DEMO.vmName });
      expect(json.ip_address).toMatchObject({ network: { id: DEMO.network, permalink: 'public' }, allocation_id: DEMO.vm });
    }
  });

  it('answers the live {type, value} allocation shape for its seeded address', async () => {
    const { json } = await session().byAddress(DEMO.ipLiveShape);
    expect(json.allocation).toEqual({ type: 'VirtualMachine', value: { id: DEMO.vnetVm, name: 'db-02' } });
    expect(json.ip_address).toMatchObject({ allocation_id: DEMO.vnetVm, allocation_type: 'VirtualMachine', network: { id: DEMO.network } });
  });

  it('answers an unallocated address with allocation null', async () => {
    const { status, json } = await session().byAddress(DEMO.ipUnallocated);
    expect(status).toBe(200);
    expect(json.allocation).toBeNull();
    expect(json.ip_address).toMatchObject({ allocation_id: null, allocation_type: null, network: { id: DEMO.network } });
  });

  it('answers an address allocated to a load balancer, with its name', async () => {
    const { json } = await session().byAddress(DEMO.ipLoadBalancer);
    expect(json.ip_address).toMatchObject({ allocation_type: 'LoadBalancer', allocation_id: 'lb_W3bFr0ntLb000001' });
    expect(json.allocation).toEqual({ id: 'lb_W3bFr0ntLb000001', name: 'web-frontend-lb' });
  });

  it('answers an address whose network is null', async () => {
    const { json } = await session().byAddress(DEMO.ipNoNetwork);
    expect(json.ip_address.network).toBeNull();
    expect(json.allocation).toEqual({ id: DEMO.legacyVm, name: 'legacy-03' });
  });

  it('answers 404 ip_address_not_found for an unknown address, wrapped as the live API does', async () => {
    const { status, json } = await session().byAddress(DEMO.ipUnknown);
    expect(status).toBe(404);
    expect(json).toMatchObject({ error: { code: 'ip_address_not_found' } });
  });

  it('finds an address by id too, and insists on exactly one of id and address', async () => {
    const s = session();
    expect((await s.get({ 'ip_address[id]': 'ip_V4addrWeb01Pub01' })).json.ip_address.address).toBe(DEMO.ipv4);
    const both = await s.get({ 'ip_address[id]': 'ip_V4addrWeb01Pub01', 'ip_address[address]': DEMO.ipv4 });
    expect(both.status).toBe(400);
    expect(both.json).toMatchObject({ error: { code: 'validation_error' } });
  });

  it('answers an injected 403 scope_not_granted', async () => {
    const s = session();
    getDb(s.id).addFaults([{ endpoint: '/ip_addresses/ip_address', status: 403, code: 'scope_not_granted', times: 1 }]);
    const refused = await s.byAddress(DEMO.ipv4);
    expect(refused.status).toBe(403);
    expect(refused.json).toMatchObject({ error: { code: 'scope_not_granted' } });
    expect((await s.byAddress(DEMO.ipv4)).status).toBe(200);
  });
});
