export type StatusColour = 'success' | 'warning' | 'error' | 'info' | 'default';

/**
 * A small outlined chip with text (a state, a task result, an address family), in the status colours
 * of src/app/theme.ts, which read at 4.5:1 on both surfaces of each mode. Plain CSS (`.kp-status`):
 * MUI's Chip is an interactive component (delete icon, ripple) and weighed 3 kB gzip for labels.
 */
export function StatusChip({ label, colour = 'default', variant = 'outlined' }: { label: string; colour?: StatusColour; variant?: 'outlined' | 'filled' }) {
  return <span className={`kp-status kp-status-${colour}${variant === 'filled' ? ' kp-status-filled' : ''}`}>{label}</span>;
}
