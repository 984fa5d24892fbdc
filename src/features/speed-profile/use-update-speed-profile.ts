import { useMutation } from '@tanstack/react-query';
import type { ChangeContext } from '../../../protocol/panel.ts';
import type { ApiError } from '../../api/api-error.ts';
import { updateSpeedProfile, type UpdateSpeedProfileInput } from '../../api/interface.ts';
import type { SpeedProfileLookup, Task } from '../../api/types.ts';
import { useApi } from '../../lib/panel-config.tsx';

/** A speed change, the mutation's variables: what is sent (with what the panel saw) and the profiles' names as shown. */
export interface SpeedChange extends UpdateSpeedProfileInput {
  from: string | undefined;
  to: string;
}

/** A change Katapult accepted: the change, and the task that makes it. */
export interface StartedChange extends SpeedChange {
  task: Task;
}

type Named = { id?: string | null | undefined; name?: string | null | undefined } | null | undefined;
const id = (x: Named) => x?.id ?? undefined;
const name = (x: Named) => x?.name ?? undefined;

/**
 * The one way a change is described, from the card's form and from "Change back" alike: the
 * request, and the context the server's audit record keeps (it reads "from" from Katapult itself when it can).
 */
export function speedChange(c: {
  interfaceId: string;
  speedProfile: SpeedProfileLookup;
  vm: Named;
  network: Named;
  from: Named;
  /** The target profile's name as shown, and as the audit record names it. */
  to: string;
  toName?: string | undefined;
}): SpeedChange {
  const context: ChangeContext = {
    vm_id: id(c.vm),
    vm_name: name(c.vm),
    network_id: id(c.network),
    network_name: name(c.network),
    from_profile_id: id(c.from),
    from_profile_name: name(c.from),
    to_profile_name: c.toName ?? c.to,
  };
  return { interfaceId: c.interfaceId, speedProfile: c.speedProfile, context, from: name(c.from), to: c.to };
}

/**
 * The change. Callbacks are given here, not to `mutate()`, so they still run when the form has
 * unmounted before Katapult answered (a task must never be lost). Never retried: a PATCH resent
 * after a lost answer could queue a second change.
 */
export function useUpdateSpeedProfile(callbacks: { onSuccess: (started: StartedChange) => void; onError: (error: ApiError, change: SpeedChange) => void }) {
  const api = useApi();
  return useMutation({
    mutationFn: (change: SpeedChange) => updateSpeedProfile(api, change),
    retry: false,
    onSuccess: (task, change) => callbacks.onSuccess({ ...change, task }),
    onError: (e, change) => callbacks.onError(e, change),
  });
}
