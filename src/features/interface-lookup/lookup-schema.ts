/**
 * What may be typed in the lookup form, and how a value's shape decides the query parameter.
 * The schema is the single statement of what is valid; the URL params go through it too.
 */
import * as z from 'zod/mini';
import type { LookupQuery } from '../../api/types.ts';
import { once } from '../../lib/once.ts';

export const MAX_LENGTH = 255;

export type VmKind = 'id' | 'fqdn';
export type NetworkKind = 'id' | 'permalink';
export type KindChoice<K extends string> = 'auto' | K;

export interface LookupTarget {
  vm: { kind: VmKind; value: string };
  network: { kind: NetworkKind; value: string };
}

/** How each kind is named on screen (the "given as" selects and the detection hint). */
export const VM_KIND_LABELS = { id: 'VM id', fqdn: 'FQDN' } as const satisfies Record<VmKind, string>;
export const NETWORK_KIND_LABELS = { id: 'Network id', permalink: 'Permalink' } as const satisfies Record<NetworkKind, string>;

const VM_ID = /^vm_[A-Za-z0-9]+$/;
const NETWORK_ID_PREFIX = /^(?:netw|net|vnet)_/;
const NETWORK_ID = /^(?:netw|net|vnet)_[A-Za-z0-9]+$/;
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;
const PERMALINK = /^[A-Za-z0-9]+(?:[-_.][A-Za-z0-9]+)*$/;
/** Every character an id, FQDN or permalink can contain. */
const ALLOWED_CHAR = /[A-Za-z0-9._-]/;
/** Longer pastes are not worth parsing as a URL: they are reported as too long. */
const MAX_URL = 2048;

const isUrl = (v: string) => v.length <= MAX_URL && /^[a-z][a-z0-9+.-]*:\/\//i.test(v);

/**
 * What a user means by a pasted value: trimmed, without quotes around it, the useful part of a URL
 * (the panel's own link, a Katapult page with the id in its path, or a VM's hostname), and
 * without the root dot a copied FQDN may carry (`name.example.com.`).
 */
function clean(raw: string, field: 'vm' | 'network', idPattern: RegExp): string {
  let v = raw.trim();
  const quoted = /^(["'`<])(.*)(["'`>])$/.exec(v);
  if (quoted && v.length >= 2) v = (quoted[2] ?? '').trim();
  if (isUrl(v)) {
    try {
      const url = new URL(v);
      const own = url.searchParams.get(field)?.trim();
      const segments = url.pathname.split('/').filter(Boolean).map((s) => {
        try {
          return decodeURIComponent(s);
        } catch {
          return s;
        }
      });
      const id = [...segments, ...url.searchParams.values()].reverse().find((s) => idPattern.test(s));
      v = own || id || (field === 'vm' ? url.hostname : (segments.at(-1) ?? url.hostname));
    } catch {
      /* not a URL after all: validated as typed */
    }
  }
  if (v.endsWith('.') && !v.endsWith('..')) v = v.slice(0, -1);
  return v;
}

/** `“а” (U+0430)`: how an odd character is named in a message. */
function describeChar(ch: string): string {
  const code = `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
  if (/\s/u.test(ch)) return ch === ' ' ? 'a space' : `a blank character (${code})`;
  if (/\p{Cf}|\p{Cc}/u.test(ch)) return `an invisible character (${code})`;
  return `“${ch}” (${code})`;
}

type Parsed<K> = { ok: true; kind: K; value: string } | { ok: false; message: string };

/** Problems every field shares: emptiness, length, characters no id, FQDN or permalink contains. */
function common(v: string, what: string): string | undefined {
  if (v === '') return `Enter the ${what}.`;
  if (v.length > MAX_LENGTH) return `That is ${v.length.toLocaleString('en')} characters; a ${what} is at most ${MAX_LENGTH}.`;
  for (const ch of v) {
    if (ALLOWED_CHAR.test(ch)) continue;
    const lookAlike = /[^\x20-\x7e]/.test(ch) && !/\s/u.test(ch) && !/\p{Cf}|\p{Cc}/u.test(ch);
    return `The ${what} contains ${describeChar(ch)}, which no id or name can contain${
      lookAlike ? ' (often a look-alike letter pasted from a document or chat: retype it)' : ''
    }.`;
  }
  return undefined;
}

export function parseVm(raw: string, choice: KindChoice<VmKind> = 'auto'): Parsed<VmKind> {
  const v = clean(raw, 'vm', VM_ID);
  const problem = common(v, 'virtual machine');
  if (problem) return { ok: false, message: problem };
  const kind: VmKind = choice === 'auto' ? (/^vm_/i.test(v) ? 'id' : 'fqdn') : choice;
  if (kind === 'id') {
    if (VM_ID.test(v)) return { ok: true, kind, value: v };
    if (/^vm_$/i.test(v)) return { ok: false, message: 'The VM id is incomplete: vm_ is followed by letters and digits, as in vm_t8yomYsG4bccKw5D.' };
    if (/^VM_/.test(v)) return { ok: false, message: 'A VM id starts with a lower-case vm_, as in vm_t8yomYsG4bccKw5D.' };
    return { ok: false, message: 'A VM id is vm_ followed by letters and digits only, as in vm_t8yomYsG4bccKw5D.' };
  }
  const labels = v.split('.');
  if (v.includes('_')) {
    return { ok: false, message: 'A FQDN has no underscores. Is it a VM id? Set “VM given as” to Detect or VM id.' };
  }
  if (labels.length < 2) {
    return { ok: false, message: `Enter the full FQDN (such as ${v}.example.katapult.cloud) or the VM id (vm_…).` };
  }
  if (v.length > 253 || !labels.every((l) => LABEL.test(l))) {
    return { ok: false, message: 'Not a valid FQDN: each part between dots is 1–63 letters, digits or hyphens, not starting or ending with a hyphen.' };
  }
  return { ok: true, kind, value: v.toLowerCase() };
}

export function parseNetwork(raw: string, choice: KindChoice<NetworkKind> = 'auto'): Parsed<NetworkKind> {
  const v = clean(raw, 'network', NETWORK_ID);
  const problem = common(v, 'network');
  if (problem) return { ok: false, message: problem };
  const kind: NetworkKind = choice === 'auto' ? (NETWORK_ID_PREFIX.test(v) ? 'id' : 'permalink') : choice;
  if (kind === 'id') {
    if (NETWORK_ID.test(v)) return { ok: true, kind, value: v };
    if (/^(?:netw|net|vnet)_$/.test(v)) {
      return { ok: false, message: `The network id is incomplete: ${v} is followed by letters and digits, as in netw_zDW7KYAeqqfRfVag.` };
    }
    return { ok: false, message: 'A network id looks like netw_zDW7KYAeqqfRfVag (older ones: net_…).' };
  }
  if (PERMALINK.test(v)) return { ok: true, kind, value: v };
  return { ok: false, message: 'A permalink is a short name such as public or 1gbps: letters and digits, joined by hyphens.' };
}

/**
 * The form's schema: trims and checks both fields, then yields the target. Built on first use
 * (the shell builds it at idle after the first paint): constructing zod schemas at module load
 * cost about 50 ms of the first screen's main thread at 4× CPU throttling (bench: cold load).
 */
export const lookupFormSchema = once(() =>
  z.pipe(
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
  ),
);

export type LookupFormValues = z.input<ReturnType<typeof lookupFormSchema>>;

/** The query for the lookup endpoint: exactly one parameter per object, never both. */
export function toLookupQuery(t: LookupTarget): NonNullable<LookupQuery> {
  return {
    ...(t.vm.kind === 'id' ? { 'virtual_machine[id]': t.vm.value } : { 'virtual_machine[fqdn]': t.vm.value }),
    ...(t.network.kind === 'id' ? { 'network[id]': t.network.value } : { 'network[permalink]': t.network.value }),
  };
}

export const sameTarget = (a: LookupTarget | undefined, b: LookupTarget | undefined) =>
  !!a &&
  !!b &&
  a.vm.kind === b.vm.kind &&
  a.vm.value === b.vm.value &&
  a.network.kind === b.network.kind &&
  a.network.value === b.network.value;

/*
 * The URL keeps the values as typed (`?vm=vm_…&network=public`). Only when the user overrode the
 * detection, and the override differs from what detection would choose, does the value carry its
 * kind as a prefix (`network=permalink:net_foo`): no id, FQDN or permalink contains a colon.
 */
const PREFIXED = /^(id|fqdn|permalink):(.*)$/s;

export function vmParam(vm: LookupTarget['vm']): string {
  const auto = parseVm(vm.value);
  return auto.ok && auto.kind === vm.kind ? vm.value : `${vm.kind}:${vm.value}`;
}

export function networkParam(network: LookupTarget['network']): string {
  const auto = parseNetwork(network.value);
  return auto.ok && auto.kind === network.kind ? network.value : `${network.kind}:${network.value}`;
}

/** The form's fields for `?vm=&network=` (a deep link, reload, back/forward). */
export function fieldsFromParams(vm: string | null | undefined, network: string | null | undefined): LookupFormValues {
  const v = PREFIXED.exec(vm ?? '');
  const n = PREFIXED.exec(network ?? '');
  const vmKind = v?.[1] === 'id' || v?.[1] === 'fqdn' ? v[1] : undefined;
  const networkKind = n?.[1] === 'id' || n?.[1] === 'permalink' ? n[1] : undefined;
  return {
    vm: vmKind ? (v?.[2] ?? '') : (vm ?? ''),
    vmKind: vmKind ?? 'auto',
    network: networkKind ? (n?.[2] ?? '') : (network ?? ''),
    networkKind: networkKind ?? 'auto',
  };
}

/** Reads `?vm=&network=` (e.g. from a deep link); undefined when they are absent or invalid. */
export function targetFromParams(vm: string | null | undefined, network: string | null | undefined): LookupTarget | undefined {
  if (!vm || !network) return undefined;
  const r = z.safeParse(lookupFormSchema(), fieldsFromParams(vm, network));
  return r.success ? r.data : undefined;
}
