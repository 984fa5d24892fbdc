/** Names for the generated Katapult shapes the panel uses. Never hand-type these: they come from the spec. */
import type { components, paths } from './katapult.gen.ts';

type Schemas = components['schemas'];

export type LookupInterface = Schemas['GetVirtualMachineNetworkInterface200ResponseVirtualMachineNetworkInterface'];
export type InterfaceDetail = Schemas['GetVMNIVMNI200ResponseVirtualMachineNetworkInterface'];
export type VirtualMachine = Schemas['GetVirtualMachine200ResponseVirtualMachine'];
export type VmInterfaceSummary = Schemas['GetVirtualMachineNetworkInterfaces200ResponseVirtualMachineNetworkInterfaces'];
export type SpeedProfile = Schemas['NetworkSpeedProfile'];
export type Pagination = Schemas['PaginationObject'];
export type Task = Schemas['Task'];
export type TaskStatus = Schemas['TaskStatusEnum'];
/** Every task status, for runtime checks (zod): each is one of the spec's, and `TaskStatusesComplete` says none is missing. */
export const TASK_STATUSES = ['pending', 'running', 'completed', 'failed'] as const satisfies readonly TaskStatus[];
type Holds<T extends true> = T;
/** Fails to compile when the spec names a task status that TASK_STATUSES lacks. */
export type TaskStatusesComplete = Holds<[Exclude<TaskStatus, (typeof TASK_STATUSES)[number]>] extends [never] ? true : false>;
export type TrashObject = Schemas['TrashObject'];
export type SpeedProfileLookup = Schemas['NetworkSpeedProfileLookup'];
export type IpAddress = Schemas['IPAddress'];
/** As the spec describes it; the live API has been seen answering `{type, value: {id, name}}` instead. */
export type IpAddressAllocation = Schemas['GetIPAddress200ResponseAllocation'];

export type LookupQuery =
  paths['/virtual_machines/virtual_machine/networks/network/interface']['get']['parameters']['query'];
export type IpAddressQuery = paths['/ip_addresses/ip_address']['get']['parameters']['query'];
export type IpAddressAnswer =
  paths['/ip_addresses/ip_address']['get']['responses'][200]['content']['application/json'];

export type { paths, components };
