/** Finding a VM by what a ticket calls it: its name or its short hostname, within its organization. */

export interface NamedVm {
  id?: string | undefined;
  name?: string | undefined;
  hostname?: string | undefined;
  fqdn?: string | undefined;
}

/** The first label of a hostname (`web-01` of `web-01.example.com`), lower-cased. */
const short = (host: string | undefined) => host?.split('.')[0]?.toLowerCase();

/**
 * The organization's VMs that `typed` names: its name, or its hostname's first label, compared
 * without regard to case and surrounding spaces. A name may be shared, so every match is returned.
 */
export function matchVmsByName<V extends NamedVm>(vms: readonly V[], typed: string): V[] {
  const want = typed.trim().toLowerCase();
  if (want === '') return [];
  return vms.filter((vm) => vm.name?.trim().toLowerCase() === want || short(vm.hostname) === want || short(vm.fqdn) === want);
}
