import Button from '@mui/material/Button';
import { useEffect, useState } from 'react';

interface CopyButtonProps {
  /** What is copied, for the accessible name: "Copy MAC address". */
  label: string;
  text: string | undefined;
}

export function CopyButton({ label, text }: CopyButtonProps) {
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const t = setTimeout(() => setCopied(false), 1500);
    return () => clearTimeout(t);
  }, [copied]);
  if (!text) return null;
  return (
    <Button
      size="small"
      variant="text"
      aria-label={`Copy ${label}`}
      onClick={() => {
        void navigator.clipboard?.writeText(text).then(() => setCopied(true), () => setCopied(false));
      }}
      sx={{ minWidth: 0, px: 1, py: 0, ml: 0.5, fontSize: '0.75rem' }}
    >
      {copied ? 'Copied' : 'Copy'}
    </Button>
  );
}
