import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import type { ReactNode } from 'react';
import type { ApiError } from '../api/api-error.ts';
import { errorLabel, snippetText, wordingFor } from '../api/error-messages.ts';
import { usePanelConfig } from '../lib/panel-config.tsx';
import { CopyButton } from './copy-button.tsx';

interface ErrorAlertProps {
  error: ApiError;
  /** Extra content under the advice: a countdown, a list of networks. */
  children?: ReactNode;
  action?: ReactNode;
}

/**
 * The one place an API error is shown: staff wording, Katapult's own description, and the code
 * (or the HTTP status), which can be copied into a ticket.
 */
export function ErrorAlert({ error, children, action }: ErrorAlertProps) {
  const { locale } = usePanelConfig();
  const { title, advice } = wordingFor(error, locale);
  const description = error.kind !== 'unexpected' ? error.description : undefined;
  const body = error.kind === 'unexpected' ? snippetText(error.bodySnippet) : undefined;
  const label = errorLabel(error);
  return (
    <Alert severity="error" role="alert" action={action} sx={{ overflowWrap: 'anywhere' }}>
      <AlertTitle>{title}</AlertTitle>
      <Box>{advice}</Box>
      {description && error.kind === 'katapult' ? (
        <Box sx={{ mt: 0.5, color: 'text.secondary' }}>Katapult: “{description}”</Box>
      ) : null}
      {body ? (
        <Box sx={{ mt: 0.5, color: 'text.secondary' }}>
          The answer began: <Box component="q" sx={{ fontFamily: 'monospace', fontSize: '0.8rem' }}>{body}</Box>
        </Box>
      ) : null}
      {children}
      <Box sx={{ mt: 0.5, fontFamily: 'monospace', fontSize: '0.8rem' }}>
        Code: {label}
        <CopyButton label="error code" text={label} />
      </Box>
    </Alert>
  );
}
