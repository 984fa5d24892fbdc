/**
 * What may be typed in the lookup form, and how a value's shape decides the query parameter.
 * The schema is the single statement of what is valid; the URL params go through it too.
 */
import * as z from 'zod/mini';
import type { LookupQuery } from '../../api/types.ts';

export const MAX_LENGTH = 255;

export type VmKind = 'id' | 'fqdn';
export type NetworkKind = 'id' | 'permalink';
export type KindChoice<K extends string> = 'auto' | K;

export interface LookupTarget {
  vm: { kind: VmKind; value: string };
  network: { kind: NetworkKind; value: string };
}

const VM_ID = /^vm_[A-Za-z0-9]+$/;
const NETWORK_ID = /^(?:netw|net|vnet)_[A-Za-z0-9]+$/;
const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const FQDN = new RegExp(`^${LABEL}(?:\\.${LABEL})+$`);
const PERMALINK = /^[A-Za-z0-9]+(?:[-_.][A-Za-z0-9]+)*$/;

/** Trims, and takes the useful part out of a pasted URL or a FQDN with its root dot. */
function clean(raw: string, idPattern: RegExp, preferHost: boolean): string {
  let v = raw.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(v)) {
    try {
      const url = new URL(v);
      const segments = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
      const params = [...url.searchParams.values()];
      const id = [...segments, ...params].reverse().find((s) => idPattern.test(s));
      v = id ?? (preferHost ? url.hostname : (segments.at(-1) ?? url.hostname));
    } catch {
      /* not a URL after all: validated as typed */
    }
  }
  if (!idPattern.test(v) && v.endsWith('.') && !v.endsWith('..')) v = v.slice(0, -1);
  return v;
}

type Parsed<K> = { ok: true; kind: K; value: string } | { ok: false; message: string };

const common = (v: string, what: string): string | undefined => {
  if (v === '') return `Enter the ${what}.`;
  if (v.length > MAX_LENGTH) return `That is ${v.length} characters; a ${what} is at most ${MAX_LENGTH}.`;
  if (/[^\x21-\x7e]/.test(v)) return `The ${what} contains characters no id or name can contain (spaces, accents or look-alike letters).`;
  return undefined;
};

export function parseVm(raw: string, choice: KindChoice<VmKind> = 'auto'): Parsed<VmKind> {
  const v = clean(raw, VM_ID, true);
  const problem = common(v, 'virtual machine');
  if (problem) return { ok: false, message: problem };
  const looksId = v.startsWith('vm_');
  const kind: VmKind = choice === 'auto' ? (looksId ? 'id' : 'fqdn') : choice;
  if (kind === 'id') {
    if (VM_ID.test(v)) return { ok: true, kind, value: v };
    return { ok: false, message: v === 'vm_' ? 'The VM id is incomplete: vm_ followed by letters and digits.' : 'A VM id looks like vm_t8yomYsG4bccKw5D.' };
  }
  if (v.length <= 253 && FQDN.test(v)) return { ok: true, kind, value: v.toLowerCase() };
  return { ok: false, message: 'Enter a VM id (vm_…) or a full hostname such as bitter-beautiful-mango.example.katapult.cloud.' };
}

export function parseNetwork(raw: string, choice: KindChoice<NetworkKind> = 'auto'): Parsed<NetworkKind> {
  const v = clean(raw, NETWORK_ID, false);
  const problem = common(v, 'network');
  if (problem) return { ok: false, message: problem };
  const looksId = /^(?:netw|net|vnet)_/.test(v);
  const kind: NetworkKind = choice === 'auto' ? (looksId ? 'id' : 'permalink') : choice;
  if (kind === 'id') {
    if (NETWORK_ID.test(v)) return { ok: true, kind, value: v };
    return { ok: false, message: /^(?:netw|net|vnet)_$/.test(v) ? 'The network id is incomplete.' : 'A network id looks like netw_zDW7KYAeqqfRfVag (older ones: net_…).' };
  }
  if (PERMALINK.test(v)) return { ok: true, kind, value: v };
  return { ok: false, message: 'A permalink is a short name such as public or 1gbps: letters, digits and hyphens.' };
}

export const lookupFormSchema = z.pipe(
  z
    .object({
      vm: z.string(),
      vmKind: z.enum(['auto', 'id', 'fqdn']),
      network: z.string(),
      networkKind: z.enum(['auto', 'id', 'permalink']),
    })
    .check(
      z.superRefine((v, ctx) => {
        const vm = parseVm(v.vm, v.vmKind);
        if (!vm.ok) ctx.addIssue({ code: 'custom', path: ['vm'], message: vm.message, input: v.vm });
        const network = parseNetwork(v.network, v.networkKind);
        if (!network.ok) ctx.addIssue({ code: 'custom', path: ['network'], message: network.message, input: v.network });
      }),
    ),
  z.transform((v): LookupTarget => {
    const vm = parseVm(v.vm, v.vmKind);
    const network = parseNetwork(v.network, v.networkKind);
    if (!vm.ok || !network.ok) throw new Error('unreachable: validated above');
    return { vm: { kind: vm.kind, value: vm.value }, network: { kind: network.kind, value: network.value } };
  }),
);

export type LookupFormValues = z.input<typeof lookupFormSchema>;

/** The query for the lookup endpoint: exactly one parameter per object, never both. */
export function toLookupQuery(t: LookupTarget): NonNullable<LookupQuery> {
  return {
    ...(t.vm.kind === 'id' ? { 'virtual_machine[id]': t.vm.value } : { 'virtual_machine[fqdn]': t.vm.value }),
    ...(t.network.kind === 'id' ? { 'network[id]': t.network.value } : { 'network[permalink]': t.network.value }),
  };
}


/** Reads `?vm=&network=` (e.g. from a deep link); undefined when they are absent or invalid. */
export function targetFromParams(vm: string | null | undefined, network: string | null | undefined): LookupTarget | undefined {
  if (!vm || !network) return undefined;
  const r = z.safeParse(lookupFormSchema, { vm, vmKind: 'auto', network, networkKind: 'auto' });
  return r.success ? r.data : undefined;
}
