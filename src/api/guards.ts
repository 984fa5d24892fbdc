/**
 * Runtime checks of the responses the UI depends on. The shapes themselves come from the generated
 * types (types.ts); each guard is checked at compile time to produce a value of that generated type.
 * Every field is optional and a field of the wrong type becomes `undefined` ("not reported"), so a
 * surprising answer degrades one field instead of the whole screen. Only the wrapping key the panel
 * cannot work without (e.g. `task`) is required.
 */
import * as z from 'zod/mini';
import { TASK_STATUSES } from '../../protocol/katapult.ts';
import type {
  InterfaceDetail,
  LookupInterface,
  Pagination,
  SpeedProfile,
  Task,
  VirtualMachine,
  VmInterfaceSummary,
} from './types.ts';

function build() {
  const opt = <T extends z.core.SomeType>(s: T) => z.catch(z.optional(s), undefined);
  const optNull = <T extends z.core.SomeType>(s: T) => z.catch(z.optional(z.nullable(s)), undefined);
  const str = () => opt(z.string());
  const idName = z.looseObject({ id: str(), name: str() });
  const ipAddress = z.looseObject({ id: str(), address: str() });
  const ipList = z.catch(
    z.optional(z.array(z.catch(ipAddress, {}))),
    undefined,
  );

  // What the lookup answers; the interface by id adds its speed profile.
  const interfaceFields = {
    id: str(),
    name: str(),
    virtual_machine: opt(idName),
    network: optNull(idName),
    virtual_network: optNull(idName),
    mac_address: str(),
    state: str(),
    ip_addresses: ipList,
  };
  const lookupInterface = z.looseObject(interfaceFields);
  const interfaceDetail = z.looseObject({
    ...interfaceFields,
    speed_profile: opt(z.looseObject({ id: str(), name: str(), permalink: str() })),
  });

  const speedProfile = z.looseObject({
    id: str(),
    name: str(),
    permalink: str(),
    upload_speed_in_mbit: optNull(z.number()),
    download_speed_in_mbit: optNull(z.number()),
  });

  const pagination = z.looseObject({
    current_page: opt(z.number()),
    total_pages: optNull(z.number()),
    total: optNull(z.number()),
    per_page: opt(z.number()),
    large_set: opt(z.boolean()),
  });

  const virtualMachine = z.looseObject({
    id: str(),
    name: str(),
    hostname: str(),
    fqdn: str(),
    organization: opt(z.looseObject({ id: str(), name: str(), sub_domain: str() })),
  });

  const vmInterfaceSummary = z.looseObject({
    id: str(),
    name: str(),
    network: optNull(z.looseObject({ id: str(), name: str(), permalink: str() })),
    virtual_network: optNull(idName),
    ip_addresses: ipList,
  });

  const task = z.looseObject({
    id: z.string(),
    name: str(),
    status: opt(z.enum(TASK_STATUSES)),
    created_at: opt(z.number()),
    started_at: optNull(z.number()),
    finished_at: optNull(z.number()),
    progress: opt(z.number()),
  });

  // The spec says `allocation: {id, name}`; a recorded live answer has `{type, value: {id, name}}`: both are read.
  const ipAddressRecord = z.looseObject({
    id: str(),
    address: str(),
    network: optNull(z.looseObject({ id: str(), name: str(), permalink: str() })),
    allocation_id: optNull(z.string()),
    allocation_type: optNull(z.string()),
  });
  const allocation = optNull(z.looseObject({ id: str(), name: str(), type: str(), value: opt(idName) }));

  return {
    lookupInterface,
    // The allocation comes beside `ip_address`, as the spec's answer has it.
    ipAddressAnswer: z.looseObject({ ip_address: ipAddressRecord, allocation }),
    interfaceDetail,
    speedProfile,
    pagination,
    virtualMachine,
    vmInterfaceSummary,
    task,
    // The answers' envelopes, as each endpoint wraps the object.
    lookupAnswer: z.looseObject({ virtual_machine_network_interface: lookupInterface }),
    interfaceDetailAnswer: z.looseObject({ virtual_machine_network_interface: interfaceDetail }),
    virtualMachineAnswer: z.looseObject({ virtual_machine: virtualMachine }),
    taskAnswer: z.looseObject({ task }),
    speedProfilesPage: z.looseObject({ pagination: z.optional(pagination), network_speed_profiles: z.array(speedProfile) }),
    organizationVmsPage: z.looseObject({
      pagination: z.optional(pagination),
      virtual_machines: z.array(z.looseObject({ id: str(), name: str(), hostname: str(), fqdn: str() })),
    }),
    vmNetworksPage: z.looseObject({
      pagination: z.optional(pagination),
      virtual_machine_network_interfaces: z.array(vmInterfaceSummary),
    }),
  };
}

type Guards = ReturnType<typeof build>;

/** The response guards. */
export const guards: Guards = build();

// Compile-time proof that every guard yields the generated type (the spec stays the source of truth).
type Yields<G extends z.core.SomeType, T> = z.infer<G> extends T ? true : never;
export const guardsMatchSpec: [
  Yields<Guards['lookupInterface'], LookupInterface>,
  Yields<Guards['interfaceDetail'], InterfaceDetail>,
  Yields<Guards['speedProfile'], SpeedProfile>,
  Yields<Guards['pagination'], Pagination>,
  Yields<Guards['vmInterfaceSummary'], VmInterfaceSummary>,
  Yields<Guards['task'], Task>,
  Yields<Guards['virtualMachine'], Pick<VirtualMachine, 'id' | 'name' | 'hostname' | 'fqdn'>>,
] = [true, true, true, true, true, true, true];
