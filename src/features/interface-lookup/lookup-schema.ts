/**
 * What may be typed in the lookup form, and how a value's shape decides the query parameter.
 * The zod schemas here are the single statement of what is valid: cleaning a pasted value, the
 * checks every field shares, detecting an id, FQDN or permalink, and each kind's own rules are
 * their transforms and refinements. The form (react-hook-form's zodResolver) and the URL go through them.
 */
import * as z from 'zod/mini';
import type { LookupTarget, NetworkRef, VmRef } from '../../api/refs.ts';

export const MAX_LENGTH = 255;

export type VmKind = VmRef['kind'];
export type NetworkKind = NetworkRef['kind'];
export type KindChoice<K extends string> = 'auto' | K;


/** What the VM field may hold: a VM reference, or an IP address that leads to one. */
export type VmFieldKind = VmKind | 'ip';

/** How each kind is named on screen (the "given as" menus and the detection hint). */
export const VM_KIND_LABELS = { id: 'VM id', fqdn: 'FQDN' } as const satisfies Record<VmKind, string>;
export const VM_FIELD_LABELS = { ...VM_KIND_LABELS, ip: 'IP address (its VM and network are looked up)' } as const satisfies Record<VmFieldKind, string>;

/**
 * A lookup as the form or the URL asks for it: a VM on a network, or the interface holding an IP
 * address. `prefixLength`: the `/24` a pasted address carried; it is ignored by the lookup, kept
 * only so that the link and the field still say what was given. `org`: the organization the VM
 * was found in by name, kept likewise so that a link opens the form as it was (Katapult is asked by
 * the VM and network alone).
 */
export type LookupRequest = (LookupTarget & { org?: string }) | { ip: string; prefixLength?: string };
export const NETWORK_KIND_LABELS = { id: 'Network id', permalink: 'Permalink' } as const satisfies Record<NetworkKind, string>;

const VM_ID = /^vm_[A-Za-z0-9]+$/;
const NETWORK_ID_PREFIX = /^(?:netw|net|vnet)_/;
const NETWORK_ID = /^(?:netw|net|vnet)_[A-Za-z0-9]+$/;
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;
const PERMALINK = /^[A-Za-z0-9]+(?:[-_.][A-Za-z0-9]+)*$/;
/** What looks like an IP address (four dotted numbers, or two colons): it is then checked as one. */
const IP_ADDRESS = /^(?:\d{1,3}\.){3}\d{1,3}$|^[0-9a-f]*:[0-9a-f]*:[0-9a-f:.]*$/i;
const ipAddress = z.string().check(
  z.refine((v: string) => (v.includes(':') ? z.safeParse(z.ipv6(), v).success : z.safeParse(z.ipv4(), v).success), {
    error: (issue) =>
      String(issue.input).includes(':') ? 'Not a valid IPv6 address.' : 'Not a valid IPv4 address: four numbers from 0 to 255, as in 185.199.108.42.',
  }),
);
/** An address with a prefix length (`185.199.108.42/24`, as in a ticket or a route): the address and the length. */
const WITH_PREFIX = /^(.+)\/(\d{1,3})$/;
const splitPrefix = (v: string): { address: string; prefixLength: string | undefined } => {
  const m = WITH_PREFIX.exec(v);
  return m && IP_ADDRESS.test(m[1] ?? '') ? { address: m[1] ?? '', prefixLength: m[2] } : { address: v, prefixLength: undefined };
};

/** Every character an id, FQDN, permalink or IP address can contain. */
const ALLOWED_CHAR = /[A-Za-z0-9._:-]/;
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

/** The first character no id, FQDN or permalink can contain, if any (an address's prefix length is split off later). */
const oddChar = (v: string) => [...splitPrefix(v).address].find((ch) => !ALLOWED_CHAR.test(ch));
const isLookAlike = (ch: string) => /[^\x20-\x7e]/.test(ch) && !/\s/u.test(ch) && !/\p{Cf}|\p{Cc}/u.test(ch);

const abort = { abort: true } as const;

/** What every field shares: cleaned of what a paste brings along, present, not too long, no odd characters. */
const field = (name: 'vm' | 'network', what: string, idPattern: RegExp, shape: (v: string) => string = (v) => v) =>
  z.pipe(
    z.pipe(z.string(), z.transform((raw) => shape(clean(raw, name, idPattern)))),
    z.string().check(
      z.minLength(1, { error: `Enter the ${what}.`, ...abort }),
      z.maxLength(MAX_LENGTH, {
        error: (issue) => `That is ${String(issue.input).length.toLocaleString('en')} characters; a ${what} is at most ${MAX_LENGTH}.`,
        ...abort,
      }),
      z.refine((v: string) => oddChar(v) === undefined, {
        error: (issue) => {
          const ch = oddChar(String(issue.input)) ?? '';
          return `The ${what} contains ${describeChar(ch)}, which no id or name can contain${
            isLookAlike(ch) ? ' (often a look-alike letter pasted from a document or chat: retype it)' : ''
          }.`;
        },
        ...abort,
      }),
    ),
  );

const vmId = z.string().check(
  z.refine((v: string) => !/^vm_$/i.test(v), { error: 'The VM id is incomplete: vm_ is followed by letters and digits, as in vm_t8yomYsG4bccKw5D.', ...abort }),
  z.refine((v: string) => !/^VM_/.test(v), { error: 'A VM id starts with a lower-case vm_, as in vm_t8yomYsG4bccKw5D.', ...abort }),
  z.regex(VM_ID, 'A VM id is vm_ followed by letters and digits only, as in vm_t8yomYsG4bccKw5D.'),
);

const fqdn = z.pipe(
  z.string().check(
    z.refine((v: string) => !v.includes('_'), { error: 'A FQDN has no underscores. Is it a VM id? Set “VM given as” to Detect or VM id.', ...abort }),
    z.refine((v: string) => v.split('.').length >= 2, {
      error: (issue) => `Enter the full FQDN (such as ${String(issue.input)}.example.katapult.cloud) or the VM id (vm_…).`,
      ...abort,
    }),
    z.refine((v: string) => v.length <= 253 && v.split('.').every((l) => LABEL.test(l)), {
      error: 'Not a valid FQDN: each part between dots is 1–63 letters, digits or hyphens, not starting or ending with a hyphen.',
    }),
  ),
  z.transform((v) => v.toLowerCase()),
);

const networkId = z.string().check(
  z.refine((v: string) => !/^(?:netw|net|vnet)_$/.test(v), {
    error: (issue) => `The network id is incomplete: ${String(issue.input)} is followed by letters and digits, as in netw_zDW7KYAeqqfRfVag.`,
    ...abort,
  }),
  z.regex(NETWORK_ID, 'A network id looks like netw_zDW7KYAeqqfRfVag (older ones: net_…).'),
);

const permalink = z.string().check(
  z.regex(PERMALINK, 'A permalink is a short name such as public or 1gbps: letters and digits, joined by hyphens.'),
);

const vmValue = field('vm', 'virtual machine', VM_ID);

/**
 * Permalinks are matched without regard to case and spaces (`Public`, `pub lic`), as tickets quote
 * them; ids are case-sensitive and kept as typed, unless the user insists on a permalink.
 */
const permalinkShape = (choice: KindChoice<NetworkKind>) => (v: string) =>
  choice === 'id' || (choice === 'auto' && NETWORK_ID_PREFIX.test(v)) ? v : v.replace(/\s+/gu, '').toLowerCase();
const networkValues = {
  auto: field('network', 'network', NETWORK_ID, permalinkShape('auto')),
  id: field('network', 'network', NETWORK_ID, permalinkShape('id')),
  permalink: field('network', 'network', NETWORK_ID, permalinkShape('permalink')),
};

/** What a cleaned value's shape says it is, when the user does not insist on a kind. */
const detectVm = (v: string): VmFieldKind => (/^vm_/i.test(v) ? 'id' : IP_ADDRESS.test(v) ? 'ip' : 'fqdn');
const detectNetwork = (v: string): NetworkKind => (NETWORK_ID_PREFIX.test(v) ? 'id' : 'permalink');

/** The VM field for a "given as" choice: cleaned, checked, and its kind detected unless chosen. */
export const vmSchema = (choice: KindChoice<VmKind>) =>
  z.pipe(
    vmValue,
    z.transform((typed, ctx): { kind: VmFieldKind; value: string; prefixLength?: string } => {
      const { address, prefixLength } = splitPrefix(typed);
      // Only an address may carry a prefix length; anything else is judged as typed, `/` included.
      const asAddress = choice === 'auto' && prefixLength !== undefined;
      const v = asAddress ? address : typed;
      const kind: VmFieldKind = choice === 'auto' ? detectVm(v) : choice;
      if (asAddress && Number(prefixLength) > (v.includes(':') ? 128 : 32)) {
        ctx.issues.push({ code: 'custom', message: `/${prefixLength} is not a prefix length: at most /${v.includes(':') ? 128 : 32}. Enter the address alone.`, input: typed });
        return z.NEVER;
      }
      const r = z.safeParse(kind === 'id' ? vmId : kind === 'ip' ? ipAddress : fqdn, v);
      if (r.success) return asAddress ? { kind, value: r.data, prefixLength } : { kind, value: r.data };
      ctx.issues.push(...r.error.issues.map((i) => ({ code: 'custom' as const, message: i.message, input: v })));
      return z.NEVER;
    }),
  );

/** The Network field for a "given as" choice. */
export const networkSchema = (choice: KindChoice<NetworkKind>) =>
  z.pipe(
    networkValues[choice],
    z.transform((v, ctx) => {
      const kind: NetworkKind = choice === 'auto' ? detectNetwork(v) : choice;
      const r = z.safeParse(kind === 'id' ? networkId : permalink, v);
      if (r.success) return { kind, value: r.data };
      ctx.issues.push(...r.error.issues.map((i) => ({ code: 'custom' as const, message: i.message, input: v })));
      return z.NEVER;
    }),
  );

type Parsed<K> = { ok: true; kind: K; value: string; prefixLength?: string } | { ok: false; message: string };

type Result<K> = { success: true; data: { kind: K; value: string; prefixLength?: string } } | { success: false; error: z.core.$ZodError };
const verdict = <K>(r: Result<K>): Parsed<K> =>
  r.success ? { ok: true, ...r.data } : { ok: false, message: r.error.issues[0]?.message ?? 'Not valid.' };

export const parseVm = (raw: string, choice: KindChoice<VmKind> = 'auto') => verdict(z.safeParse(vmSchema(choice), raw));
export const parseNetwork = (raw: string, choice: KindChoice<NetworkKind> = 'auto') =>
  verdict(z.safeParse(networkSchema(choice), raw));

/** The form's schema: both fields checked at once (each error on its own field), then the target. */
export const lookupFormSchema = z.pipe(
  z.object({
    vm: z.string(),
    vmKind: z.enum(['auto', 'id', 'fqdn']),
    network: z.string(),
    networkKind: z.enum(['auto', 'id', 'permalink']),
    /** The customer's organization (sub-domain or `org_…`): lets the VM field take a VM's name. */
    org: z.optional(z.string()),
  }),
  z.transform((v, ctx): LookupRequest => {
    const vm = z.safeParse(vmSchema(v.vmKind), v.vm);
    // An address leads to its own network: the Network field is not needed then.
    if (vm.success && vm.data.kind === 'ip') return vm.data.prefixLength ? { ip: vm.data.value, prefixLength: vm.data.prefixLength } : { ip: vm.data.value };
    const network = z.safeParse(networkSchema(v.networkKind), v.network);
    const org = v.org?.trim();
    if (vm.success && vm.data.kind !== 'ip' && network.success) return { vm: { kind: vm.data.kind, value: vm.data.value }, network: network.data, ...(org ? { org } : {}) };
    for (const [path, r, input] of [['vm', vm, v.vm], ['network', network, v.network]] as const) {
      const message = r.error?.issues[0]?.message;
      if (message) ctx.issues.push({ code: 'custom', path: [path], message, input });
    }
    return z.NEVER;
  }),
);

export type LookupFormValues = z.input<typeof lookupFormSchema>;

export const sameTarget = (a: LookupRequest | undefined, b: LookupRequest | undefined): boolean =>
  !!a && !!b && ('ip' in a || 'ip' in b) ? 'ip' in a! && 'ip' in b! && a.ip === b.ip : sameRef(a as LookupTarget | undefined, b as LookupTarget | undefined);

const sameRef = (a: LookupTarget | undefined, b: LookupTarget | undefined) =>
  !!a &&
  !!b &&
  a.vm.kind === b.vm.kind &&
  a.vm.value === b.vm.value &&
  a.network.kind === b.network.kind &&
  a.network.value === b.network.value;

/*
 * The lookup's codec: how a lookup travels through a URL. One parse (lookupSearchSchema, run by the
 * route's validateSearch once per navigation) and one stringifier (lookupParams, used by every link,
 * the form's navigation and mount()'s first URL).
 *
 * The URL keeps the values as typed (`?vm=vm_…&network=public`, `?ip=185.199.108.42`). Only when the
 * user overrode the detection, and the override differs from what detection would choose, does the
 * value carry its kind as a prefix (`network=permalink:net_foo`): no id, FQDN or permalink contains a colon.
 */
const PREFIXED = /^(id|fqdn|permalink):(.*)$/s;

const vmParam = (vm: VmRef) => (detectVm(vm.value) === vm.kind ? vm.value : `${vm.kind}:${vm.value}`);
const networkParam = (network: NetworkRef) => (detectNetwork(network.value) === network.kind ? network.value : `${network.kind}:${network.value}`);

type Params = { vm?: string | undefined; network?: string | undefined; ip?: string | undefined; org?: string | undefined };

/**
 * The last few URLs the codec wrote or read, with what they read as: the router validates a
 * location's search more than once per navigation, and a lookup the form has just checked reads
 * back as itself (lookupParams and lookupSearchSchema round-trip), so neither is parsed again.
 */
const known = new Map<string, LookupSearch>();
const keyOf = (p: Params) => JSON.stringify([p.ip ?? '', p.vm ?? '', p.network ?? '', p.org ?? '']);
function remember(p: Params, read: LookupSearch): LookupSearch {
  known.delete(keyOf(p));
  known.set(keyOf(p), read);
  if (known.size > 8) known.delete(known.keys().next().value ?? '');
  return read;
}

/** The one stringifier: a lookup's URL parameters (`?ip=` for an address, else `?vm=&network=`, after `org=` when it has one). */
export function lookupParams(t: LookupTarget & { org?: string }): { org?: string; vm: string; network: string };
export function lookupParams(t: LookupRequest): { org?: string; vm: string; network: string } | { ip: string };
export function lookupParams(asked: LookupRequest) {
  // A link made elsewhere (a log, mount()) may carry a permalink as quoted: it is written as it is matched.
  const permalink = 'network' in asked && asked.network.kind === 'permalink' ? permalinkShape('permalink')(asked.network.value) : undefined;
  const t: LookupRequest =
    'network' in asked && permalink !== undefined && permalink !== asked.network.value ? { ...asked, network: { kind: 'permalink', value: permalink } } : asked;
  const params =
    'ip' in t
      ? { ip: t.prefixLength ? `${t.ip}/${t.prefixLength}` : t.ip }
      : { ...(t.org ? { org: t.org } : {}), vm: vmParam(t.vm), network: networkParam(t.network) };
  remember(params, { lookup: t, fields: fieldsOf(params) });
  return params;
}

/** The form's fields for URL values as given: a kind prefix becomes the "given as" choice. */
function fieldsFromParams(vm: string | undefined, network: string | undefined, org?: string): LookupFormValues {
  const v = PREFIXED.exec(vm ?? '');
  const n = PREFIXED.exec(network ?? '');
  const vmKind = v?.[1] === 'id' || v?.[1] === 'fqdn' ? v[1] : undefined;
  const networkKind = n?.[1] === 'id' || n?.[1] === 'permalink' ? n[1] : undefined;
  return {
    vm: vmKind ? (v?.[2] ?? '') : (vm ?? ''),
    vmKind: vmKind ?? 'auto',
    network: networkKind ? (n?.[2] ?? '') : (network ?? ''),
    networkKind: networkKind ?? 'auto',
    ...(org ? { org } : {}),
  };
}

const fieldsOf = (p: Params) => (p.ip ? fieldsFromParams(p.ip, undefined) : fieldsFromParams(p.vm, p.network, p.org));

/** The URL's lookup parameters, as the route validates them (plain strings; judged by the transform below). */
const param = z.catch(z.optional(z.string()), undefined);
export const lookupParamsShape = { vm: param, network: param, ip: param, org: param };

export interface LookupSearch {
  /** The lookup the URL asks for; undefined when it asks for none, or for an invalid one. */
  lookup: LookupRequest | undefined;
  /** The form's fields as the URL gives them, valid or not (an invalid link says why, on the fields). */
  fields: LookupFormValues;
}

/**
 * The one parse: `?vm=&network=` or `?ip=` to the typed lookup, through the form's own schema. An
 * address is an address in either parameter: `?vm=185.199.108.42` (as mount()'s `initialVm` may
 * give it) looks it up like `?ip=`.
 */
export const lookupSearchSchema = z.pipe(
  z.object(lookupParamsShape),
  z.transform((p): LookupSearch => {
    const seen = known.get(keyOf(p));
    if (seen) return seen;
    const fields = fieldsOf(p);
    if (!p.ip && !p.vm && !p.network && !p.org) return { lookup: undefined, fields };
    const r = z.safeParse(lookupFormSchema, fields);
    return remember(p, { lookup: r.success ? r.data : undefined, fields });
  }),
);

/** The codec's parse of plain parameters, outside a route (mount()'s options, tests). */
export const readLookupParams = (params: Params): LookupSearch =>
  z.parse(lookupSearchSchema, params);

/**
 * A VM field that holds a name rather than an id, FQDN or address (`web-01`, `Web server`): with an
 * organization it is looked for among the organization's VMs.
 */
export const isVmName = (typed: string) => {
  const v = typed.trim();
  return v !== '' && !/^vm_/i.test(v) && !v.includes('.') && !v.includes(':') && !v.includes('/') && v.length <= MAX_LENGTH;
};
