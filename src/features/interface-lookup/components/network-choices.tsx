import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useVmNetworks } from '../use-lookup.ts';
import { vmNetworkChoices, type VmNetworkChoice } from '../vm-networks.ts';
import type { NetworkRef, VmRef } from '../../../api/refs.ts';

export interface NetworkChoicesProps {
  vm: VmRef | undefined;
  /** The network in the form, to mark its choice; `id`: the network it turned out to be, when it was looked up. */
  current?: (NetworkRef & { id?: string | undefined }) | undefined;
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
      <Typography role="status" variant="body2" sx={{ color: 'text.secondary' }}>
        Loading this VM’s networks…
      </Typography>
    );
  }
  // The lookup itself reports what is wrong with the VM; the picker just stays out of the way.
  if (networks.isError) return null;
  const choices = vmNetworkChoices(networks.data);
  if (choices.length === 0) {
    return (
      <Typography variant="body2" sx={{ color: 'text.secondary' }}>
        Katapult lists no network interfaces for this VM.
      </Typography>
    );
  }
  const isCurrent = (c: VmNetworkChoice) =>
    current !== undefined && (current.kind === 'id' ? current.value === c.id : current.value === c.permalink || current.id === c.id);
  return (
    <Stack role="group" aria-label="Networks of this VM" direction="row" sx={{ gap: 1, flexWrap: 'wrap', alignItems: 'center' }}>
      <Typography variant="body2" sx={{ color: 'text.secondary' }}>
        {intro}
      </Typography>
      {choices.map((c) => {
        const selected = isCurrent(c);
        return (
          <Chip
            key={c.id}
            size="small"
            label={c.label}
            title={c.id}
            color={selected ? 'primary' : 'default'}
            variant={selected ? 'filled' : 'outlined'}
            aria-pressed={selected}
            onClick={() => onPick(c.id)}
          />
        );
      })}
    </Stack>
  );
}
