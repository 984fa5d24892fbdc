import { useMutation } from '@tanstack/react-query';
import type { ApiError } from '../../api/api-error.ts';
import { updateSpeedProfile, type UpdateSpeedProfileInput } from '../../api/interface.ts';
import type { Task } from '../../api/types.ts';
import { useApi } from '../../lib/panel-config.tsx';

/**
 * The change. Callbacks are given here, not to `mutate()`, so they still run when the form has
 * unmounted before Katapult answered (a task must never be lost). Never retried: a PATCH resent
 * after a lost answer could queue a second change.
 */
export function useUpdateSpeedProfile<V extends UpdateSpeedProfileInput>(callbacks: {
  onSuccess: (task: Task, input: V) => void;
  onError: (error: ApiError, input: V) => void;
}) {
  const api = useApi();
  return useMutation({
    mutationFn: (input: V) => updateSpeedProfile(api, input),
    retry: false,
    onSuccess: (t, input) => callbacks.onSuccess(t, input),
    onError: (e, input) => callbacks.onError(e, input),
  });
}
