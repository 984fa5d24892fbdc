/**
 * Demo data for the embedded mock. Shapes are the generated Katapult types; ids follow the shapes
 * seen in real data (vm_…, netw_…/net_…, vnet_…, vmnet_…, nsp_…, org_…).
 */
import type { SpeedProfile, VirtualMachine } from '../protocol/katapult.ts';

export interface NetworkRecord {
  id: string;
  name: string;
  permalink: string;
}
export interface VirtualNetworkRecord {
  id: string;
  name: string;
}
export interface InterfaceRecord {
  id: string;
  name: string;
  vmId: string;
  networkId: string | null;
  virtualNetworkId: string | null;
  mac: string;
  state: string;
  /** `undefined`: the API leaves the field out, as real responses sometimes do. */
  ips: { id: string; address: string }[] | undefined;
  speedProfileId: string;
}
export interface VmRecord {
  vm: VirtualMachine;
  /** Unix seconds until which the VM sits in the trash (lookups answer 406 object_in_trash). */
  trashedUntil?: number;
  /** Every speed change on this VM's interfaces ends as a failed task, so the demo can show one. */
  tasksFail?: boolean;
}
/** An IP address that is on no seeded interface: unallocated, or allocated to something else. */
export interface LooseIpRecord {
  id: string;
  address: string;
  networkId: string | null;
  allocation: { type: string; id: string; name: string } | null;
}
export interface Seed {
  organizations: { id: string; name: string; sub_domain: string }[];
  networks: NetworkRecord[];
  virtualNetworks: VirtualNetworkRecord[];
  speedProfiles: (SpeedProfile & { id: string; organizationId: string })[];
  vms: VmRecord[];
  interfaces: InterfaceRecord[];
  /** Addresses besides the interfaces' own (which GET /ip_addresses/ip_address also answers). */
  looseIps: LooseIpRecord[];
  /** Addresses whose allocation is answered in the live API's `{type, value: {id, name}}` shape. */
  liveAllocationShape: string[];
}

export const ORG = { id: 'org_Acm3H0stingDemo1', name: 'Acme Hosting', sub_domain: 'acme' };

export const DEMO = {
  vm: 'vm_t8yomYsG4bccKw5D',
  vmFqdn: 'bitter-beautiful-mango.example.katapult.cloud',
  vmName: 'web-01',
  network: 'netw_zDW7KYAeqqfRfVag',
  networkPermalink: 'public',
  interface: 'vmnet_olNAz8ThH0emHvdr',
  mac: '02:00:ac:1f:4e:01',
  ipv4: '185.199.108.42',
  ipv6: '2a03:2800:10:1::42',
  vnetVm: 'vm_Db02PostgresQL99',
  vnet: 'vnet_B4ckEndVnet0001',
  legacyVm: 'vm_Old0Legacy0Net01',
  legacyNetwork: 'net_L3gacyNetw0rk0001',
  trashedVm: 'vm_Tr4shedVm0000001',
  unusedNetwork: 'netw_Unus3dNetw0rk001',
  privateNetwork: 'netw_Priv4teNetw0rk01',
  noIpsVm: 'vm_N0IpAddressVm0001',
  failingVm: 'vm_Fa1lingTasksVm001',
  /** Two VMs called "worker" (names need not be unique), after the first page of the organization's VMs. */
  sharedName: 'worker',
  sharedNameVms: ['vm_W0rkerAlphaVm0001', 'vm_W0rkerBravoVm0001'],
  /** GET /ip_addresses/ip_address cases (documentation ranges where they are not an interface's). */
  ipLiveShape: '185.199.108.77',
  ipUnallocated: '185.199.108.200',
  ipLoadBalancer: '185.199.108.250',
  ipNoNetwork: '198.51.100.7',
  ipUnknown: '203.0.113.99',
} as const;

const vm = (id: string, name: string, fqdn: string): VirtualMachine => ({
  id,
  name,
  hostname: name,
  fqdn,
  description: null,
  created_at: 1_735_689_600,
  state: 'started',
  organization: { ...ORG },
});

const nsp = (
  id: string,
  name: string,
  permalink: string,
  up: number | null,
  down: number | null,
): Seed['speedProfiles'][number] => ({
  id,
  name,
  permalink,
  upload_speed_in_mbit: up,
  download_speed_in_mbit: down,
  organizationId: ORG.id,
});

export function createSeed(nowSeconds: number): Seed {
  return {
    organizations: [ORG],
    networks: [
      { id: DEMO.network, name: 'Public Network (London)', permalink: DEMO.networkPermalink },
      { id: DEMO.privateNetwork, name: 'Private LAN', permalink: 'private' },
      { id: DEMO.legacyNetwork, name: 'Legacy Network', permalink: 'legacy' },
      { id: DEMO.unusedNetwork, name: 'Unused Network', permalink: 'unused' },
    ],
    virtualNetworks: [{ id: DEMO.vnet, name: 'backend-vnet' }],
    speedProfiles: [
      nsp('nsp_H3Mknnus3dtDIbIc', '1 Gbps', '1gbps', 1000, 1000),
      nsp('nsp_10MbpsProfile001', '10 Mbps', '10mbps', 10, 10),
      nsp('nsp_100MbpsProfil001', '100 Mbps', '100mbps', 100, 100),
      nsp('nsp_250MbpsProfil001', '250 Mbps', '250mbps', 250, 250),
      nsp('nsp_500MbpsProfil001', '500 Mbps', '500mbps', 500, 500),
      nsp('nsp_2500MbpsProfi001', '2.5 Gbps', '2-5gbps', 2500, 2500),
      nsp('nsp_10GbpsProfile001', '10 Gbps', '10gbps', 10000, 10000),
      nsp('nsp_UnlimitedProf001', 'Unlimited', 'unlimited', null, null),
      nsp('nsp_Asymmetric100001', '100 Mbps up / unlimited down', 'asym-100', 100, null),
    ],
    vms: [
      { vm: vm(DEMO.vm, DEMO.vmName, DEMO.vmFqdn) },
      { vm: vm(DEMO.vnetVm, 'db-02', 'quiet-orange-river.example.katapult.cloud') },
      { vm: vm(DEMO.legacyVm, 'legacy-03', 'ancient-grey-owl.example.katapult.cloud') },
      { vm: vm(DEMO.trashedVm, 'old-04', 'faded-blue-heron.example.katapult.cloud'), trashedUntil: nowSeconds + 6 * 86_400 },
      { vm: vm(DEMO.noIpsVm, 'spare-05', 'silent-green-moth.example.katapult.cloud') },
      { vm: vm(DEMO.failingVm, 'flaky-06', 'restless-amber-fox.example.katapult.cloud'), tasksFail: true },
      { vm: vm(DEMO.sharedNameVms[0], DEMO.sharedName, 'brave-teal-otter.example.katapult.cloud') },
      { vm: vm(DEMO.sharedNameVms[1], DEMO.sharedName, 'calm-ivory-finch.example.katapult.cloud') },
    ],
    interfaces: [
      {
        id: DEMO.interface,
        name: 'eth0',
        vmId: DEMO.vm,
        networkId: DEMO.network,
        virtualNetworkId: null,
        mac: DEMO.mac,
        state: 'attached',
        ips: [
          { id: 'ip_V4addrWeb01Pub01', address: DEMO.ipv4 },
          { id: 'ip_V6addrWeb01Pub01', address: DEMO.ipv6 },
        ],
        speedProfileId: 'nsp_H3Mknnus3dtDIbIc',
      },
      {
        id: 'vmnet_W3b01Priv4teLan1',
        name: 'eth1',
        vmId: DEMO.vm,
        networkId: DEMO.privateNetwork,
        virtualNetworkId: null,
        mac: '02:00:ac:1f:4e:02',
        state: 'attached',
        ips: [{ id: 'ip_V4addrWeb01Priv1', address: '10.0.0.5' }],
        speedProfileId: 'nsp_10GbpsProfile001',
      },
      {
        id: 'vmnet_Db02Publ1cNet01',
        name: 'eth0',
        vmId: DEMO.vnetVm,
        networkId: DEMO.network,
        virtualNetworkId: null,
        mac: '02:00:ac:1f:5a:01',
        state: 'attached',
        ips: [{ id: 'ip_V4addrDb02Pub001', address: '185.199.108.77' }],
        speedProfileId: 'nsp_100MbpsProfil001',
      },
      {
        id: 'vmnet_Db02B4ckEndVn01',
        name: 'eth1',
        vmId: DEMO.vnetVm,
        networkId: null,
        virtualNetworkId: DEMO.vnet,
        mac: '02:00:ac:1f:5a:02',
        state: 'detached',
        ips: [
          { id: 'ip_V4addrDb02Vnet01', address: '172.16.4.10' },
          { id: 'ip_V6addrDb02Vnet01', address: 'fd00:4::10' },
        ],
        speedProfileId: 'nsp_UnlimitedProf001',
      },
      {
        id: 'vmnet_Leg4cy03Net0001',
        name: 'eth0',
        vmId: DEMO.legacyVm,
        networkId: DEMO.legacyNetwork,
        virtualNetworkId: null,
        mac: '02:00:ac:1f:6b:01',
        state: 'attached',
        ips: undefined,
        speedProfileId: 'nsp_250MbpsProfil001',
      },
      {
        id: 'vmnet_Tr4shed04Net001',
        name: 'eth0',
        vmId: DEMO.trashedVm,
        networkId: DEMO.network,
        virtualNetworkId: null,
        mac: '02:00:ac:1f:7c:01',
        state: 'attached',
        ips: [{ id: 'ip_V4addrOld04Pub01', address: '185.199.108.90' }],
        speedProfileId: 'nsp_100MbpsProfil001',
      },
      {
        id: 'vmnet_N0Ips05Public01',
        name: 'eth0',
        vmId: DEMO.noIpsVm,
        networkId: DEMO.network,
        virtualNetworkId: null,
        mac: '02:00:ac:1f:8d:01',
        state: 'attached',
        ips: [],
        speedProfileId: 'nsp_500MbpsProfil001',
      },
      {
        id: 'vmnet_Fa1l06Public001',
        name: 'eth0',
        vmId: DEMO.failingVm,
        networkId: DEMO.network,
        virtualNetworkId: null,
        mac: '02:00:ac:1f:9e:01',
        state: 'attached',
        ips: [{ id: 'ip_V4addrFlaky06Pub1', address: '185.199.108.106' }],
        speedProfileId: 'nsp_H3Mknnus3dtDIbIc',
      },
      {
        id: 'vmnet_W0rkerAlphaPub01',
        name: 'eth0',
        vmId: DEMO.sharedNameVms[0],
        networkId: DEMO.network,
        virtualNetworkId: null,
        mac: '02:00:ac:1f:af:01',
        state: 'attached',
        ips: [{ id: 'ip_V4addrWorkerA001', address: '185.199.108.117' }],
        speedProfileId: 'nsp_500MbpsProfil001',
      },
      {
        id: 'vmnet_W0rkerBravoPub01',
        name: 'eth0',
        vmId: DEMO.sharedNameVms[1],
        networkId: DEMO.network,
        virtualNetworkId: null,
        mac: '02:00:ac:1f:b0:01',
        state: 'attached',
        ips: [{ id: 'ip_V4addrWorkerB001', address: '185.199.108.118' }],
        speedProfileId: 'nsp_250MbpsProfil001',
      },
    ],
    looseIps: [
      { id: 'ip_Unall0cated00001', address: DEMO.ipUnallocated, networkId: DEMO.network, allocation: null },
      {
        id: 'ip_L0adBalancer0001',
        address: DEMO.ipLoadBalancer,
        networkId: DEMO.network,
        allocation: { type: 'LoadBalancer', id: 'lb_W3bFr0ntLb000001', name: 'web-frontend-lb' },
      },
      // Allocated to a VM, but Katapult does not say on which network.
      {
        id: 'ip_N0Netw0rkAddr001',
        address: DEMO.ipNoNetwork,
        networkId: null,
        allocation: { type: 'VirtualMachine', id: DEMO.legacyVm, name: 'legacy-03' },
      },
    ],
    liveAllocationShape: [DEMO.ipLiveShape],
  };
}
