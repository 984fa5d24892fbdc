import { useMutation } from '@tanstack/react-query';
import type { ApiError } from '../../../api/api-error.ts';
import { request, type ApiClient } from '../../../api/client.ts';
import { guards } from '../../../api/guards.ts';
import { CHANGE_BACK_HEADER, CHANGE_CONTEXT_HEADER, encodeChangeContext, type ChangeContext } from '../../../../protocol/panel.ts';
import type { SpeedProfileLookup, Task } from '../../../api/types.ts';
import { useApi } from '../../../lib/panel-config.tsx';

export interface UpdateSpeedProfileInput {
  interfaceId: string;
  /** Exactly one of `{id}` or `{permalink}`. */
  speedProfile: SpeedProfileLookup;
  /** What the panel saw, sent along for the server's audit record. */
  context?: ChangeContext | undefined;
  /** A change back: the audit id of the change it undoes (the server checks it may still be undone). */
  changeBackOf?: string | undefined;
}

/** PATCH …/update_speed_profile: answers with the task that will make the change. */
export async function updateSpeedProfile(api: ApiClient, { interfaceId, speedProfile, context, changeBackOf }: UpdateSpeedProfileInput) {
  const body = await request(
    api.PATCH('/virtual_machine_network_interfaces/virtual_machine_network_interface/update_speed_profile', {
      body: { virtual_machine_network_interface: { id: interfaceId }, speed_profile: speedProfile },
      headers: {
        ...(context ? { [CHANGE_CONTEXT_HEADER]: encodeChangeContext(context) } : {}),
        ...(changeBackOf ? { [CHANGE_BACK_HEADER]: changeBackOf } : {}),
      },
    }),
    guards.taskAnswer,
    'a task',
  );
  return body.task;
}

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
