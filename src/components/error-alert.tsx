import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import type { ReactNode } from 'react';
import type { ApiError } from '../api/api-error.ts';
import { errorLabel, wordingFor } from '../api/error-messages.ts';

interface ErrorAlertProps {
  error: ApiError;
  /** Extra content under the advice: a countdown, a list of networks. */
  children?: ReactNode;
  action?: ReactNode;
}

/** The one place an API error is shown: staff wording, Katapult's own description, and the code. */
export function ErrorAlert({ error, children, action }: ErrorAlertProps) {
  const { title, advice } = wordingFor(error);
  const showDescription = error.kind === 'katapult' && error.description;
  return (
    <Alert severity="error" role="alert" action={action} sx={{ overflowWrap: 'anywhere' }}>
      <AlertTitle>{title}</AlertTitle>
      <Box>{advice}</Box>
      {showDescription ? (
        <Box sx={{ mt: 0.5, color: 'text.secondary' }}>Katapult: “{error.description}”</Box>
      ) : null}
      {error.kind === 'unexpected' && error.bodySnippet ? (
        <Box component="code" sx={{ display: 'block', mt: 0.5, fontSize: '0.75rem', whiteSpace: 'pre-wrap' }}>
          {error.bodySnippet}
        </Box>
      ) : null}
      {children}
      <Box sx={{ mt: 0.5, fontFamily: 'monospace', fontSize: '0.8rem' }}>Code: {errorLabel(error)}</Box>
    </Alert>
  );
}
