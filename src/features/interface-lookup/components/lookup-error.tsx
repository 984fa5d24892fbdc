import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import { useEffect, useState } from 'react';
import type { ApiError } from '../../../api/api-error.ts';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { lookupParams } from '../lookup-schema.ts';
import { NetworkChoices } from './network-choices.tsx';
import type { LookupTarget } from '../../../api/refs.ts';

export interface LookupErrorProps {
  error: ApiError;
  /** The lookup that failed. */
  target: LookupTarget;
  /** A retry is under way (the error stays until it answers). */
  retrying: boolean;
  onRetry: () => void;
  /** Look up another target (a network the VM does have). */
  onLookup: (target: LookupTarget) => void;
}

/** Codes the user can only fix by changing what they typed: a retry button would only repeat them. */
const FIX_THE_INPUT = new Set(['virtual_machine_not_found', 'network_not_found', 'interface_not_found']);

/** The lookup's error: the shared alert plus what the lookup can offer for this code. */
export function LookupError({ error, target, retrying, onRetry, onLookup }: LookupErrorProps) {
  const retry = FIX_THE_INPUT.has(error.code ?? '') ? undefined : (
    <Button color="inherit" size="small" onClick={onRetry} loading={retrying} sx={{ whiteSpace: 'nowrap' }}>
      Try again
    </Button>
  );
  return (
    <ErrorAlert error={error} action={retry} asked={`Lookup of VM ${lookupParams(target).vm} on network ${lookupParams(target).network}`}>
      {error.code === 'interface_not_found' ? (
        <NetworkChoices
          vm={target.vm}
          intro="Its networks:"
          onPick={(id) => onLookup({ vm: target.vm, network: { kind: 'id', value: id } })}
        />
      ) : null}
    </ErrorAlert>
  );
}

/**
 * A 429 while react-query waits to retry it by itself: the alert with a visible countdown to the
 * next attempt. Keyed by `attempt` where it is used, so each further 429 starts a new, longer count.
 * The count is a `timer` (not announced every second) inside the alert (announced once).
 */
export function RateLimitWait({ error, attempt, waitMs, onRetryNow }: { error: ApiError; attempt: number; waitMs: number; onRetryNow: () => void }) {
  const [remaining, setRemaining] = useState(() => Math.round(waitMs / 1000));
  useEffect(() => {
    if (remaining <= 0) return;
    const t = setTimeout(() => setRemaining((r) => r - 1), 1000);
    return () => clearTimeout(t);
  }, [remaining]);
  return (
    <ErrorAlert
      error={error}
      action={
        <Button color="inherit" size="small" onClick={onRetryNow} sx={{ whiteSpace: 'nowrap' }}>
          Retry now
        </Button>
      }
    >
      <Box role="timer" sx={{ mt: 0.5, fontWeight: 500 }}>
        {remaining <= 0 ? 'Trying again now…' : `Trying again in ${remaining} s (attempt ${attempt}).`}
      </Box>
    </ErrorAlert>
  );
}
