import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import { useEffect, useEffectEvent, useState } from 'react';
import type { ApiError } from '../../../api/api-error.ts';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import type { LookupTarget } from '../lookup-schema.ts';
import { NetworkChoices } from './network-choices.tsx';

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

/** Seconds to wait before retrying after the n-th 429 in a row (0-based): the limit is per minute. */
export const rateLimitDelay = (attempt: number) => [5, 10, 20, 30][attempt] ?? 60;

/** The lookup's error: the shared alert plus what the lookup can offer for this code. */
export function LookupError({ error, target, retrying, onRetry, onLookup }: LookupErrorProps) {
  if (error.code === 'rate_limit_reached') {
    return <RateLimited key={JSON.stringify(target)} error={error} retrying={retrying} onRetry={onRetry} />;
  }
  const retry = FIX_THE_INPUT.has(error.code ?? '') ? undefined : (
    <Button color="inherit" size="small" onClick={onRetry} loading={retrying} sx={{ whiteSpace: 'nowrap' }}>
      Try again
    </Button>
  );
  return (
    <ErrorAlert error={error} action={retry}>
      {error.code === 'interface_not_found' ? (
        <NetworkChoices
          vm={target.vm}
          intro="Look it up on one of its networks:"
          onPick={(id) => onLookup({ vm: target.vm, network: { kind: 'id', value: id } })}
        />
      ) : null}
    </ErrorAlert>
  );
}

/**
 * 429: counts down visibly, then retries by itself; each further 429 in a row waits longer.
 * The count is a `timer` (not announced every second), inside the alert (announced once).
 */
function RateLimited({ error, retrying, onRetry }: { error: ApiError; retrying: boolean; onRetry: () => void }) {
  const [state, setState] = useState({ error, attempt: 0, remaining: rateLimitDelay(0) });
  if (state.error !== error) {
    // A new 429 after our retry: wait longer this time.
    const attempt = state.attempt + 1;
    setState({ error, attempt, remaining: rateLimitDelay(attempt) });
  }
  const retryNow = useEffectEvent(() => onRetry());
  useEffect(() => {
    if (state.remaining <= 0) return;
    const t = setTimeout(() => {
      if (state.remaining === 1) retryNow();
      setState((s) => ({ ...s, remaining: s.remaining - 1 }));
    }, 1000);
    return () => clearTimeout(t);
  }, [state.remaining]);
  return (
    <ErrorAlert
      error={error}
      action={
        <Button
          color="inherit"
          size="small"
          loading={retrying}
          sx={{ whiteSpace: 'nowrap' }}
          onClick={() => {
            setState((s) => ({ ...s, remaining: 0 }));
            onRetry();
          }}
        >
          Retry now
        </Button>
      }
    >
      <Box role="timer" sx={{ mt: 0.5, fontWeight: 500 }}>
        {retrying || state.remaining <= 0
          ? 'Trying again now…'
          : `Trying again in ${state.remaining} s (attempt ${state.attempt + 1}).`}
      </Box>
    </ErrorAlert>
  );
}
