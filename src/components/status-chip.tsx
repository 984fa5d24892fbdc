import Chip from '@mui/material/Chip';

export type StatusColour = 'success' | 'warning' | 'error' | 'info' | 'default';

/** The one status → colour map: an interface's state, a task's status, an audit outcome. */
const COLOURS: Record<string, StatusColour> = {
  attached: 'success',
  completed: 'success',
  detached: 'warning',
  not_seen: 'warning',
  failed: 'error',
  rejected: 'error',
  running: 'info',
  already_assigned: 'info',
  pending: 'info',
};
export const statusColour = (status: string | undefined): StatusColour => (status && COLOURS[status]) || 'default';

/** A small chip with text: an interface's state, a task's result, an address family. */
export function StatusChip({ label, status, variant = 'outlined' }: { label: string; status?: string | undefined; variant?: 'outlined' | 'filled' }) {
  return <Chip size="small" label={label} color={statusColour(status)} variant={variant} />;
}
