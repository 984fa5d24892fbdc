import Chip from '@mui/material/Chip';
import { createSvgIcon } from '@mui/material/utils';
import type { ReactElement } from 'react';
import type { OutcomeKind, OutcomeView } from '../audit-text.ts';

// Material Icons' paths (Apache 2.0), drawn through MUI's own SvgIcon: the project has no icon package.
const CompletedIcon = createSvgIcon(
  <path d="M16.59 7.58 10 14.17l-3.59-3.58L5 12l5 5 8-8zM12 2C6.48 2 2 6.48 2 12s4.48 10 10 10 10-4.48 10-10S17.52 2 12 2m0 18c-4.42 0-8-3.58-8-8s3.58-8 8-8 8 3.58 8 8-3.58 8-8 8" />,
  'Completed',
);
const FailedIcon = createSvgIcon(
  <path d="M11 15h2v2h-2zm0-8h2v6h-2zm.99-5C6.47 2 2 6.48 2 12s4.47 10 9.99 10C17.52 22 22 17.52 22 12S17.52 2 11.99 2M12 20c-4.42 0-8-3.58-8-8s3.58-8 8-8 8 3.58 8 8-3.58 8-8 8" />,
  'Failed',
);
const RejectedIcon = createSvgIcon(
  <path d="M12 2C6.48 2 2 6.48 2 12s4.48 10 10 10 10-4.48 10-10S17.52 2 12 2M4 12c0-4.42 3.58-8 8-8 1.85 0 3.55.63 4.9 1.69L5.69 16.9C4.63 15.55 4 13.85 4 12m8 8c-1.85 0-3.55-.63-4.9-1.69L18.31 7.1C19.37 8.45 20 10.15 20 12c0 4.42-3.58 8-8 8" />,
  'Rejected',
);
const RunningIcon = createSvgIcon(
  <path d="M12 4V1L8 5l4 4V6c3.31 0 6 2.69 6 6 0 1.01-.25 1.97-.7 2.8l1.46 1.46C19.54 15.03 20 13.57 20 12c0-4.42-3.58-8-8-8m0 14c-3.31 0-6-2.69-6-6 0-1.01.25-1.97.7-2.8L5.24 7.74C4.46 8.97 4 10.43 4 12c0 4.42 3.58 8 8 8v3l4-4-4-4z" />,
  'Running',
);
const PendingIcon = createSvgIcon(
  <path d="M6 2v6h.01L6 8.01 10 12l-4 4 .01.01H6V22h12v-5.99h-.01L18 16l-4-4 4-3.99-.01-.01H18V2zm10 14.5V20H8v-3.5l4-4zm-4-5-4-4V4h8v3.5z" />,
  'Pending',
);
const NotSeenIcon = createSvgIcon(
  <path d="M11 18h2v-2h-2zm1-16C6.48 2 2 6.48 2 12s4.48 10 10 10 10-4.48 10-10S17.52 2 12 2m0 18c-4.41 0-8-3.59-8-8s3.59-8 8-8 8 3.59 8 8-3.59 8-8 8m0-14c-2.21 0-4 1.79-4 4h2c0-1.1.9-2 2-2s2 .9 2 2c0 2-3 1.75-3 5h2c0-2.25 3-2.5 3-5 0-2.21-1.79-4-4-4" />,
  'NotSeen',
);
export const DownloadIcon = createSvgIcon(<path d="M19 9h-4V3H9v6H5l7 7zM5 18v2h14v-2z" />, 'Download');

const ICONS: Record<OutcomeKind, ReactElement> = {
  completed: <CompletedIcon />,
  failed: <FailedIcon />,
  rejected: <RejectedIcon />,
  running: <RunningIcon />,
  pending: <PendingIcon />,
  not_seen: <NotSeenIcon />,
};

/** An outcome as a small chip: icon and colour from the theme's status palette, the wording as its text. */
export function OutcomeChip({ outcome }: { outcome: OutcomeView }) {
  return (
    <Chip
      size="small"
      variant="outlined"
      color={outcome.tone}
      icon={ICONS[outcome.kind]}
      label={outcome.text}
      // Long wordings ("Outcome not seen · last seen running …") wrap inside the chip instead of widening the column.
      sx={{ maxWidth: '100%', height: 'auto', py: 0.25, fontWeight: 500, '& .MuiChip-label': { whiteSpace: 'normal', overflowWrap: 'anywhere' } }}
    />
  );
}
