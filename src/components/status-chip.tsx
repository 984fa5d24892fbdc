import Chip from '@mui/material/Chip';

export type StatusColour = 'success' | 'warning' | 'error' | 'info' | 'default';

/** A small chip with text: an interface's state, a task's result, an address family. */
export function StatusChip({ label, colour = 'default', variant = 'outlined' }: { label: string; colour?: StatusColour; variant?: 'outlined' | 'filled' }) {
  return <Chip size="small" label={label} color={colour} variant={variant} />;
}
