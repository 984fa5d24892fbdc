import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import type { ApiError } from '../../../api/api-error.ts';
import { changeWordingFor, errorLabel } from '../../../api/error-messages.ts';

/**
 * A failed change, worded for a change (src/components/error-alert.tsx words failed reads: "the
 * panel retries by itself" is not true of a PATCH). Same layout: wording, Katapult's own words, code.
 */
export function ChangeErrorAlert({ error }: { error: ApiError }) {
  const { title, advice } = changeWordingFor(error);
  return (
    <Alert severity="error" role="alert" sx={{ overflowWrap: 'anywhere', mt: 1 }}>
      <AlertTitle>{title}</AlertTitle>
      <Box>{advice}</Box>
      {error.kind === 'katapult' && error.description ? (
        <Box sx={{ mt: 0.5, color: 'text.secondary' }}>Katapult: “{error.description}”</Box>
      ) : null}
      {error.kind === 'unexpected' && error.bodySnippet ? (
        <Box component="code" sx={{ display: 'block', mt: 0.5, fontSize: '0.75rem', whiteSpace: 'pre-wrap' }}>
          {error.bodySnippet}
        </Box>
      ) : null}
      <Box sx={{ mt: 0.5, fontFamily: 'monospace', fontSize: '0.8rem' }}>Code: {errorLabel(error)}</Box>
    </Alert>
  );
}
