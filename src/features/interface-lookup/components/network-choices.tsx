import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Typography from '@mui/material/Typography';
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

/** The networks a VM has an interface on (every page of them), as one-click lookups. */
export function NetworkChoices({ vm, current, onPick, intro = 'This VM is on:' }: NetworkChoicesProps) {
  const networks = useVmNetworks(vm);
  if (!vm) return null;
  if (networks.isPending) {
    return (
      <Typography role="status" variant="body2" sx={{ mt: 1, color: 'text.secondary' }}>
        Loading this VM’s networks…
      </Typography>
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
      <Typography variant="body2" sx={{ mt: 1, color: 'text.secondary' }}>
        Katapult lists no network interfaces for this VM.
      </Typography>
    );
  }
  return (
    <Box role="group" aria-label="Networks of this VM" sx={{ mt: 1, display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 0.5 }}>
      <Typography component="span" variant="body2" sx={{ mr: 0.5, color: 'text.secondary' }}>
        {intro}
      </Typography>
      {choices.map((c) => {
        const selected = current === c.id;
        return (
          <Chip
            key={c.id}
            size="small"
            clickable
            color={selected ? 'primary' : 'default'}
            variant={selected ? 'filled' : 'outlined'}
            label={`${c.name ?? c.id}${c.virtual ? ' (virtual network)' : ''}${c.interfaceName ? ` · ${c.interfaceName}` : ''}`}
            title={c.id}
            onClick={() => onPick(c.id)}
          />
        );
      })}
    </Box>
  );
}
