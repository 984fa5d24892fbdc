import Skeleton from '@mui/material/Skeleton';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { useIpAddress } from '../use-lookup.ts';
import type { LookupTarget } from '../../../api/refs.ts';

export interface AddressLookupProps {
  address: string;
  /** The card for the VM and network the address leads to. */
  children: (target: LookupTarget) => ReactNode;
}

/** A lookup that starts from an IP address: how the interface was found, then its card. */
export function AddressLookup({ address, children }: AddressLookupProps) {
  const found = useIpAddress(address);
  if (found.isPending) return <Skeleton variant="rounded" height={120} aria-label={`Looking up ${address}`} />;
  if (found.isError) return <ErrorAlert error={found.error} asked={`Lookup of IP address ${address}`} />;
  const { vm, network, target } = found.data;
  return (
    <Stack sx={{ gap: 1.5 }}>
      <Typography variant="body2" role="status">
        <strong>{address}</strong> is on {vm.name ?? vm.id}, {network.name ?? network.id}
      </Typography>
      {children(target)}
    </Stack>
  );
}
