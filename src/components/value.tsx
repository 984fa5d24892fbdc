import Box from '@mui/material/Box';
import type { ReactNode } from 'react';

/** A field the API may leave out: the value, or "not reported". Never "undefined" or "null". */
export function Value({ children }: { children: ReactNode }) {
  if (children === undefined || children === null || children === '') {
    return (
      <Box component="span" sx={{ color: 'text.secondary', fontStyle: 'italic' }}>
        not reported
      </Box>
    );
  }
  return <>{children}</>;
}

export const orNotReported = (v: string | number | null | undefined) =>
  v === undefined || v === null || v === '' ? 'not reported' : String(v);
