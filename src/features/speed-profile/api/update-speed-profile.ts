import { useMutation } from '@tanstack/react-query';
import * as z from 'zod/mini';
import { request, type ApiClient } from '../../../api/client.ts';
import { task } from '../../../api/guards.ts';
import type { SpeedProfileLookup } from '../../../api/types.ts';
import { useApi } from '../../../lib/panel-config.tsx';

export interface UpdateSpeedProfileInput {
  interfaceId: string;
  speedProfile: SpeedProfileLookup;
}

/** PATCH …/update_speed_profile: answers with the task that will make the change. */
export async function updateSpeedProfile(api: ApiClient, { interfaceId, speedProfile }: UpdateSpeedProfileInput) {
  const body = await request(
    api.PATCH('/virtual_machine_network_interfaces/virtual_machine_network_interface/update_speed_profile', {
      body: { virtual_machine_network_interface: { id: interfaceId }, speed_profile: speedProfile },
    }),
    z.looseObject({ task }),
    'a task',
  );
  return body.task;
}

export function useUpdateSpeedProfile() {
  const api = useApi();
  return useMutation({ mutationFn: (input: UpdateSpeedProfileInput) => updateSpeedProfile(api, input) });
}
