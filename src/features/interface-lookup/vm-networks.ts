import type { getVmInterfaces } from '../../api/vm.ts';

type Nic = Awaited<ReturnType<typeof getVmInterfaces>>[number];

/** A network a VM has an interface on, as a lookup can ask for it. */
export interface VmNetworkChoice {
  /** What the lookup sends as `network[id]`: the network's id, or the virtual network's. */
  id: string;
  permalink: string | undefined;
  label: string;
}

/** The distinct networks (and virtual networks) of a VM's interfaces, in the order Katapult lists them. */
export function vmNetworkChoices(nics: readonly Nic[]): VmNetworkChoice[] {
  const seen = new Set<string>();
  const choices: VmNetworkChoice[] = [];
  for (const nic of nics) {
    const net = nic.network ?? nic.virtual_network;
    if (!net?.id || seen.has(net.id)) continue;
    seen.add(net.id);
    const name = `${net.name ?? net.id}${nic.network ? '' : ' (virtual network)'}`;
    choices.push({ id: net.id, permalink: nic.network?.permalink, label: nic.name ? `${name} · ${nic.name}` : name });
  }
  return choices;
}
