/** How the panel refers to a VM and a network: each by one kind of reference (the API's params are mutually exclusive). */
export interface VmRef {
  kind: 'id' | 'fqdn';
  value: string;
}

export interface NetworkRef {
  kind: 'id' | 'permalink';
  value: string;
}

export const vmQuery = (vm: VmRef): { 'virtual_machine[id]': string } | { 'virtual_machine[fqdn]': string } =>
  vm.kind === 'id' ? { 'virtual_machine[id]': vm.value } : { 'virtual_machine[fqdn]': vm.value };

/** What a lookup asks Katapult for: one VM on one network, each by one kind of reference. */
export interface LookupTarget {
  vm: VmRef;
  network: NetworkRef;
}
