import Menu from '@mui/material/Menu';
import MenuItem from '@mui/material/MenuItem';

export interface KindMenuListProps {
  /** The "given as" button while the list is open; null when it is closed. */
  anchor: HTMLElement | null;
  label: string;
  kinds: Record<string, string>;
  value: string;
  onClose: () => void;
  onPick: (kind: string) => void;
}

/** The "given as" choices of a lookup field: Detect, or a kind to insist on. */
export function KindMenuList({ anchor, label, kinds, value, onClose, onPick }: KindMenuListProps) {
  return (
    <Menu anchorEl={anchor} open={anchor !== null} onClose={onClose} slotProps={{ list: { 'aria-label': label } }}>
      {Object.entries(kinds).map(([k, text]) => (
        <MenuItem key={k} selected={value === k} onClick={() => onPick(k)}>
          {text}
        </MenuItem>
      ))}
    </Menu>
  );
}
