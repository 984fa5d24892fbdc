import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';

/** A field the API may leave out: the value, or "not reported". Never "undefined" or "null". */
export function Value({ children }: { children: ReactNode }) {
  if (children === undefined || children === null || children === '') {
    return (
      <Typography component="span" variant="inherit" sx={{ color: 'text.secondary', fontStyle: 'italic' }}>
        not reported
      </Typography>
    );
  }
  return <>{children}</>;
}

export const orNotReported = (v: string | number | null | undefined) =>
  v === undefined || v === null || v === '' ? 'not reported' : String(v);
