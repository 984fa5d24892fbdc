import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';
import type { ApiError } from '../api/api-error.ts';
import { errorLabel, katapultDetails, wordingFor, type ErrorContext } from '../api/error-messages.ts';
import { usePanelConfig } from '../lib/panel-config.tsx';
import { errorTicketText } from '../lib/ticket-text.ts';
import { CopyButton } from './copy-button.tsx';

interface ErrorAlertProps {
  error: ApiError;
  /** A read (retried by the panel) or a change (never resent by itself): the wording differs. */
  context?: ErrorContext;
  /** Extra content under the advice: a countdown, a list of networks. */
  children?: ReactNode;
  action?: ReactNode;
  /** What was asked, for the ticket paragraph: "Lookup of VM web-01 on network public". */
  asked?: string | undefined;
}

/**
 * The one place an API error is shown. Each fact once: the title, one sentence on what to do, the
 * code (copyable, for tickets); Katapult's own words behind "Details".
 */
export function ErrorAlert({ error, context = 'read', children, action, asked }: ErrorAlertProps) {
  const { locale } = usePanelConfig();
  const { title, advice } = wordingFor(error, context, locale);
  const details = katapultDetails(error);
  const label = errorLabel(error);
  return (
    <Alert severity="error" role="alert" action={action} sx={{ overflowWrap: 'anywhere' }}>
      <AlertTitle>{title}</AlertTitle>
      <Typography variant="body2">{advice}</Typography>
      {children}
      <Stack direction="row" sx={{ alignItems: 'center', gap: 1, mt: 0.5, flexWrap: 'wrap' }}>
        <Typography variant="body2" sx={{ fontFamily: 'monospace' }}>
          Code: {label}
        </Typography>
        <CopyButton label="error code" text={label} />
        {/* The whole error as one paragraph (src/lib/ticket-text.ts), with the time it was copied for. */}
        <CopyButton label="for ticket" what="ticket paragraph" showLabel text={() => errorTicketText(error, { asked, context, locale })} />
      </Stack>
      {details.length > 0 ? (
        <Box component="details" sx={{ mt: 0.5, typography: 'body2', '& > summary': { cursor: 'pointer', width: 'fit-content' } }}>
          <summary>Details</summary>
          {details.map((d) => (
            <Box key={d} sx={{ mt: 0.5, color: 'text.secondary' }}>
              {d}
            </Box>
          ))}
        </Box>
      ) : null}
    </Alert>
  );
}
