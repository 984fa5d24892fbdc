/**
 * Runtime checks of the responses the UI depends on. The shapes themselves come from the generated
 * types (types.ts); each guard is checked at compile time to produce a value of that generated type.
 * Every field is optional and a field of the wrong type becomes `undefined` ("not reported"), so a
 * surprising answer degrades one field instead of the whole screen. Only the wrapping key the panel
 * cannot work without (e.g. `task`) is required.
 */
import * as z from 'zod/mini';
import type {
  InterfaceDetail,
  LookupInterface,
  Pagination,
  SpeedProfile,
  Task,
  VirtualMachine,
  VmInterfaceSummary,
} from './types.ts';

const opt = <T extends z.core.SomeType>(s: T) => z.catch(z.optional(s), undefined);
const optNull = <T extends z.core.SomeType>(s: T) => z.catch(z.optional(z.nullable(s)), undefined);
const str = () => opt(z.string());
const idName = z.looseObject({ id: str(), name: str() });
const ipAddress = z.looseObject({ id: str(), address: str() });
const ipList = z.catch(
  z.optional(z.array(z.catch(ipAddress, {}))),
  undefined,
);

export const lookupInterface = z.looseObject({
  id: str(),
  name: str(),
  virtual_machine: opt(idName),
  network: optNull(idName),
  virtual_network: optNull(idName),
  mac_address: str(),
  state: str(),
  ip_addresses: ipList,
});

export const interfaceDetail = z.looseObject({
  id: str(),
  name: str(),
  virtual_machine: opt(idName),
  network: optNull(idName),
  virtual_network: optNull(idName),
  mac_address: str(),
  state: str(),
  ip_addresses: ipList,
  speed_profile: opt(z.looseObject({ id: str(), name: str(), permalink: str() })),
});

export const speedProfile = z.looseObject({
  id: str(),
  name: str(),
  permalink: str(),
  upload_speed_in_mbit: optNull(z.number()),
  download_speed_in_mbit: optNull(z.number()),
});

export const pagination = z.looseObject({
  current_page: opt(z.number()),
  total_pages: optNull(z.number()),
  total: optNull(z.number()),
  per_page: opt(z.number()),
  large_set: opt(z.boolean()),
});

export const virtualMachine = z.looseObject({
  id: str(),
  name: str(),
  hostname: str(),
  fqdn: str(),
  organization: opt(z.looseObject({ id: str(), name: str(), sub_domain: str() })),
});

export const vmInterfaceSummary = z.looseObject({
  id: str(),
  name: str(),
  network: optNull(z.looseObject({ id: str(), name: str(), permalink: str() })),
  virtual_network: optNull(idName),
  ip_addresses: ipList,
});

export const task = z.looseObject({
  id: z.string(),
  name: str(),
  status: opt(z.enum(['pending', 'running', 'completed', 'failed'])),
  created_at: opt(z.number()),
  started_at: optNull(z.number()),
  finished_at: optNull(z.number()),
  progress: opt(z.number()),
});

// Compile-time proof that every guard yields the generated type (the spec stays the source of truth).
type Yields<G extends z.core.SomeType, T> = z.infer<G> extends T ? true : never;
export const guardsMatchSpec: [
  Yields<typeof lookupInterface, LookupInterface>,
  Yields<typeof interfaceDetail, InterfaceDetail>,
  Yields<typeof speedProfile, SpeedProfile>,
  Yields<typeof pagination, Pagination>,
  Yields<typeof vmInterfaceSummary, VmInterfaceSummary>,
  Yields<typeof task, Task>,
  Yields<typeof virtualMachine, Pick<VirtualMachine, 'id' | 'name' | 'hostname' | 'fqdn'>>,
] = [true, true, true, true, true, true, true];
