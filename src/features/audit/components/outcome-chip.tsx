import AutorenewIcon from '@mui/icons-material/Autorenew';
import BlockIcon from '@mui/icons-material/Block';
import CheckCircleOutlineIcon from '@mui/icons-material/CheckCircleOutlined';
import ErrorOutlineIcon from '@mui/icons-material/ErrorOutlined';
import HelpOutlineIcon from '@mui/icons-material/HelpOutlined';
import HourglassEmptyIcon from '@mui/icons-material/HourglassEmpty';
import InfoOutlinedIcon from '@mui/icons-material/InfoOutlined';
import Chip from '@mui/material/Chip';
import type { ReactElement } from 'react';
import { statusColour } from '../../../components/status-chip.tsx';
import type { OutcomeKind, OutcomeView } from '../audit-text.ts';

const ICONS: Record<OutcomeKind, ReactElement> = {
  completed: <CheckCircleOutlineIcon />,
  failed: <ErrorOutlineIcon />,
  rejected: <BlockIcon />,
  already_assigned: <InfoOutlinedIcon />,
  running: <AutorenewIcon />,
  pending: <HourglassEmptyIcon />,
  not_seen: <HelpOutlineIcon />,
};

/** An outcome as a small chip: icon and colour from the theme's status palette, the wording as its text. */
export function OutcomeChip({ outcome }: { outcome: OutcomeView }) {
  return (
    <Chip
      size="small"
      variant="outlined"
      color={statusColour(outcome.kind)}
      icon={ICONS[outcome.kind]}
      label={outcome.text}
      // Long wordings ("Outcome not seen · last seen running …") wrap inside the chip between words; an error code breaks only when it is wider than the column.
      sx={{ maxWidth: '100%', height: 'auto', py: 0.25, fontWeight: 500, '& .MuiChip-label': { whiteSpace: 'normal', overflowWrap: 'break-word' } }}
    />
  );
}
