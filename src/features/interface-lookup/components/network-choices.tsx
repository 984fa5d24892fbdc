import { useVmNetworks } from '../api/get-vm-networks.ts';
import type { LookupTarget } from '../lookup-schema.ts';

export interface NetworkChoice {
  /** What the lookup sends as `network[id]`: the network's id, or the virtual network's. */
  id: string;
  name: string | undefined;
  interfaceName: string | undefined;
  virtual: boolean;
}

export interface NetworkChoicesProps {
  vm: LookupTarget['vm'] | undefined;
  /** The network value in the form, to mark the matching choice. */
  current?: string | undefined;
  onPick: (networkId: string) => void;
  /** Shown before the choices. */
  intro?: string;
}

/**
 * The networks a VM has an interface on (every page of them), as one-click lookups. Part of the
 * first screen's form, so plain elements and the shell's CSS (`.kp-choice`), no MUI.
 */
export function NetworkChoices({ vm, current, onPick, intro = 'This VM is on:' }: NetworkChoicesProps) {
  const networks = useVmNetworks(vm);
  if (!vm) return null;
  if (networks.isPending) {
    return (
      <p role="status" className="kp-choices-note">
        Loading this VM’s networks…
      </p>
    );
  }
  // The lookup itself reports what is wrong with the VM; the picker just stays out of the way.
  if (networks.isError) return null;
  const seen = new Set<string>();
  const choices: NetworkChoice[] = [];
  for (const nic of networks.data) {
    const net = nic.network ?? nic.virtual_network;
    if (!net?.id || seen.has(net.id)) continue;
    seen.add(net.id);
    choices.push({ id: net.id, name: net.name, interfaceName: nic.name, virtual: !nic.network });
  }
  if (choices.length === 0) {
    return (
      <p className="kp-choices-note">Katapult lists no network interfaces for this VM.</p>
    );
  }
  return (
    <div role="group" aria-label="Networks of this VM" className="kp-choices">
      <span className="kp-choices-intro">{intro}</span>
      {choices.map((c) => {
        const selected = current === c.id;
        return (
          <button
            key={c.id}
            type="button"
            className={`kp-choice${selected ? ' kp-choice-selected' : ''}`}
            aria-pressed={selected}
            title={c.id}
            onClick={() => onPick(c.id)}
          >
            {`${c.name ?? c.id}${c.virtual ? ' (virtual network)' : ''}${c.interfaceName ? ` · ${c.interfaceName}` : ''}`}
          </button>
        );
      })}
    </div>
  );
}
