import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import { useId, type ReactNode } from 'react';

export interface ConfirmDialogProps {
  open: boolean;
  title: string;
  /** What will happen: the dialog's accessible description. */
  children: ReactNode;
  /** The confirmed action is under way: Confirm shows it, Cancel and Escape do nothing. */
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}

/**
 * A modal confirmation (MUI's Dialog; inside mount()'s shadow root it portals into the panel's own
 * node). Focus starts on Cancel, so a second Enter (after the one that opened it) does not confirm:
 * confirming is a deliberate move to Confirm. Focus returns where it was. A click on the backdrop does not cancel:
 * the second click of a double click on the button that opened it lands there.
 */
export function ConfirmDialog({ open, title, children, busy, onConfirm, onCancel }: ConfirmDialogProps) {
  const titleId = useId();
  const textId = useId();
  return (
    <Dialog
      open={open}
      onClose={(_event, reason) => {
        if (reason !== 'backdropClick' && !busy) onCancel();
      }}
      aria-labelledby={titleId}
      aria-describedby={textId}
      maxWidth="sm"
      fullWidth
    >
      <DialogTitle id={titleId}>{title}</DialogTitle>
      <DialogContent id={textId}>{children}</DialogContent>
      <DialogActions>
        <Button onClick={onCancel} disabled={busy} autoFocus>
          Cancel
        </Button>
        <Button variant="contained" onClick={onConfirm} loading={busy}>
          Confirm
        </Button>
      </DialogActions>
    </Dialog>
  );
}
