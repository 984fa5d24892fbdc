import Button from '@mui/material/Button';
import { useEffectEvent, useId, useLayoutEffect, useRef, type ReactNode } from 'react';

export interface ConfirmDialogProps {
  title: string;
  /** What will happen, in words: the dialog's accessible description. */
  children: ReactNode;
  confirmLabel?: string;
  /** The confirmed action is under way: Confirm shows it, Cancel and Escape do nothing. */
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}

/**
 * A modal confirmation on the platform's own `<dialog>` (showModal): the browser makes the rest of
 * the page inert, keeps focus inside and closes on Escape, and it works the same inside mount()'s
 * shadow root (the top layer needs no portal). It replaced MUI's Dialog, whose Modal, FocusTrap,
 * Portal and transitions were a tenth of the lazy bundle. Mounted only while open; focus starts on
 * Confirm and goes back where it was when the dialog closes.
 * A click on the backdrop does not close it: the 2nd/3rd click of a double/triple click on the
 * button that opened it lands there (issue 7).
 */
export function ConfirmDialog({ title, children, confirmLabel = 'Confirm', busy, onConfirm, onCancel }: ConfirmDialogProps) {
  const titleId = useId();
  const textId = useId();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const wanted = useRef(true);
  const cancelNow = useEffectEvent(() => onCancel());

  useLayoutEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    const root = dialog.getRootNode() as Document | ShadowRoot;
    const previous = root.activeElement instanceof HTMLElement ? root.activeElement : null;
    wanted.current = true;
    if (!dialog.open) dialog.showModal();
    confirmRef.current?.focus();
    // Escape: ask the owner, who may refuse while the action is under way.
    const onCancelEvent = (e: Event) => {
      e.preventDefault();
      cancelNow();
    };
    // The browser may close it without a cancelable event (a repeated Escape): still the owner decides.
    const onClose = () => {
      if (!wanted.current) return;
      cancelNow();
      queueMicrotask(() => {
        if (wanted.current && dialog.isConnected && !dialog.open) dialog.showModal();
      });
    };
    dialog.addEventListener('cancel', onCancelEvent);
    dialog.addEventListener('close', onClose);
    return () => {
      wanted.current = false;
      dialog.removeEventListener('cancel', onCancelEvent);
      dialog.removeEventListener('close', onClose);
      if (dialog.open) dialog.close();
      if (previous?.isConnected) previous.focus();
    };
  }, []);

  return (
    <dialog ref={dialogRef} className="kp-dialog" aria-labelledby={titleId} aria-describedby={textId}>
      <h2 id={titleId} className="kp-dialog-title">
        {title}
      </h2>
      <div id={textId} className="kp-dialog-content">
        {children}
      </div>
      <div className="kp-dialog-actions">
        <Button onClick={onCancel} disabled={busy}>
          Cancel
        </Button>
        {/* Busy: a spinner in the button (MUI's `loading` prop would bring CircularProgress for this one use). */}
        <Button ref={confirmRef} variant="contained" onClick={onConfirm} aria-busy={busy} aria-disabled={busy}>
          {busy ? <span className="kp-spinner kp-spinner-small" aria-hidden /> : null}
          {confirmLabel}
        </Button>
      </div>
    </dialog>
  );
}
