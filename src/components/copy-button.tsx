import Button from '@mui/material/Button';
import { styled } from '@mui/material/styles';
import { visuallyHidden } from '@mui/utils';
import { useEffect, useState } from 'react';

interface CopyButtonProps {
  /** What is copied, for the accessible name: "Copy MAC address". */
  label: string;
  /** The text, or what makes it when the button is pressed (a text that is costly to build on every render). */
  text: string | (() => string) | undefined;
  /** Show "Copy <label>" on the button, not just "Copy" (for a button that stands on its own). */
  showLabel?: boolean;
  /** What the spoken "… copied" names, when `label` alone does not read well ("for ticket"). */
  what?: string;
}

/*
 * Styled once, not by `sx` on every render: a card shows a dozen of these in the frame of the lookup's answer.
 * The small one is sized in the theme's rem (pxToRem follows the host's root font size inside mount()), not the host's own rem.
 */
const SmallButton = styled(Button)(({ theme }) => ({ minWidth: 0, padding: theme.spacing(0, 0.75), fontSize: theme.typography.pxToRem(12) }));
const Announcement = styled('span')(visuallyHidden);

/** Where the async Clipboard API is missing (an http: page in a portal): the old selection way. */
function copyWithSelection(text: string): boolean {
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.append(area);
  area.select();
  try {
    return document.execCommand('copy');
  } catch {
    return false;
  } finally {
    area.remove();
  }
}

async function copy(text: string): Promise<boolean> {
  if (navigator.clipboard?.writeText) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      /* denied or unavailable: try the selection way */
    }
  }
  return copyWithSelection(text);
}

/** A small "Copy" button; says "Copied" (also to screen readers) or "Copy failed" for a moment. */
export function CopyButton({ label, text, showLabel = false, what = label }: CopyButtonProps) {
  const [result, setResult] = useState<'copied' | 'failed' | undefined>(undefined);
  useEffect(() => {
    if (!result) return;
    const t = setTimeout(() => setResult(undefined), 2000);
    return () => clearTimeout(t);
  }, [result]);
  if (!text) return null;
  const failed = result === 'failed';
  const SizedButton = showLabel ? Button : SmallButton;
  return (
    <>
      <SizedButton
        size="small"
        variant={showLabel ? 'outlined' : 'text'}
        color={failed ? 'error' : 'primary'}
        aria-label={`Copy ${label}`}
        onClick={() => {
          void copy(typeof text === 'function' ? text() : text).then((ok) => setResult(ok ? 'copied' : 'failed'));
        }}
      >
        {result === 'copied' ? 'Copied' : failed ? 'Copy failed' : showLabel ? `Copy ${label}` : 'Copy'}
      </SizedButton>
      <Announcement role="status">{result === 'copied' ? `${what} copied` : failed ? `Could not copy the ${what}` : ''}</Announcement>
    </>
  );
}
