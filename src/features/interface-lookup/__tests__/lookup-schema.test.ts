import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { isVmName, lookupFormSchema, lookupParams, parseNetwork, parseVm, readLookupParams } from '../lookup-schema.ts';
import { toLookupQuery } from '../../../api/interface.ts';
import type { LookupTarget } from '../../../api/refs.ts';

const TEN_KB = 'vm_' + 'a'.repeat(10 * 1024);

describe('the VM field: detection', () => {
  it.each([
    ['vm_t8yomYsG4bccKw5D', 'id', 'vm_t8yomYsG4bccKw5D'],
    ['  vm_t8yomYsG4bccKw5D\t', 'id', 'vm_t8yomYsG4bccKw5D'],
    ['vm_t8yomYsG4bccKw5D.', 'id', 'vm_t8yomYsG4bccKw5D'],
    ['"vm_t8yomYsG4bccKw5D"', 'id', 'vm_t8yomYsG4bccKw5D'],
    ['https://my.katapult.io/organizations/acme/vms/vm_t8yomYsG4bccKw5D', 'id', 'vm_t8yomYsG4bccKw5D'],
    ['https://my.katapult.io/vms/vm_t8yomYsG4bccKw5D/networking?tab=1', 'id', 'vm_t8yomYsG4bccKw5D'],
    ['http://panel.example/?vm=vm_t8yomYsG4bccKw5D&network=public', 'id', 'vm_t8yomYsG4bccKw5D'],
    ['bitter-beautiful-mango.example.katapult.cloud', 'fqdn', 'bitter-beautiful-mango.example.katapult.cloud'],
    ['Bitter-Beautiful-Mango.Example.Katapult.Cloud.', 'fqdn', 'bitter-beautiful-mango.example.katapult.cloud'],
    ['https://bitter-beautiful-mango.example.katapult.cloud/', 'fqdn', 'bitter-beautiful-mango.example.katapult.cloud'],
  ])('%j is a VM %s: %s', (raw, kind, value) => {
    expect(parseVm(raw)).toEqual({ ok: true, kind, value });
  });
});

describe('the VM field: what is refused before any request', () => {
  it.each([
    ['empty', '', /Enter the virtual machine/],
    ['only whitespace', '   \t ', /Enter the virtual machine/],
    ['longer than 255 characters', 'vm_' + 'a'.repeat(253), /256 characters; a virtual machine is at most 255/],
    ['a 10 kB paste', TEN_KB, /10,243 characters/],
    ['a space inside', 'vm_abc def', /contains a space/],
    ['a slash', 'web-01/eth0.example.com', /contains “\/” \(U\+002F\)/],
    ['a prefix length beyond 32 on an IPv4 address', '185.199.108.42/33', /\/33 is not a prefix length: at most \/32/],
    ['a prefix length on what is not an address', 'web-01.example.com/24', /contains “\/” \(U\+002F\)/],
    ['a Cyrillic look-alike “а”', 'vm_t8yоmYsG4bccKw5D', /contains “о” \(U\+043E\).*look-alike/],
    ['a Greek look-alike in an FQDN', 'bitter-beautiful-mаngο.example.com', /U\+0430.*look-alike/],
    ['a zero-width space', 'vm_abc\u200bdef', /an invisible character \(U\+200B\)/],
    ['a non-breaking space', 'vm_abc\u00a0def', /a blank character \(U\+00A0\)/],
    ['vm_ alone', 'vm_', /VM id is incomplete/],
    ['an upper-case VM_', 'VM_abc', /lower-case vm_/],
    ['a bare hostname', 'web-01', /full FQDN \(such as web-01\.example\.katapult\.cloud\)/],
    ['two trailing dots', 'web-01.example.com..', /Not a valid FQDN/],
    ['a label starting with a hyphen', '-web.example.com', /Not a valid FQDN/],
    ['a label over 63 characters', `${'a'.repeat(64)}.example.com`, /Not a valid FQDN/],
  ])('%s', (_name, raw, message) => {
    const r = parseVm(raw);
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.message).toMatch(message);
  });
});

describe('the VM field: overriding the detection', () => {
  it('refuses an id given as an FQDN and says how to fix it', () => {
    const r = parseVm('vm_t8yomYsG4bccKw5D', 'fqdn');
    expect(r.ok ? '' : r.message).toMatch(/no underscores.*VM given as/);
  });
  it('refuses an FQDN given as an id', () => {
    expect(parseVm('web.example.com', 'id').ok).toBe(false);
  });
  it('accepts what the override says when the value fits it', () => {
    expect(parseVm('web.example.com', 'fqdn')).toEqual({ ok: true, kind: 'fqdn', value: 'web.example.com' });
  });
});

describe('the Network field: detection', () => {
  it.each([
    ['netw_zDW7KYAeqqfRfVag', 'id', 'netw_zDW7KYAeqqfRfVag'],
    ['net_L3gacyNetw0rk0001', 'id', 'net_L3gacyNetw0rk0001'],
    ['vnet_B4ckEndVnet0001', 'id', 'vnet_B4ckEndVnet0001'],
    [' public ', 'permalink', 'public'],
    ['1gbps', 'permalink', '1gbps'],
    ['public.', 'permalink', 'public'],
    ['https://my.katapult.io/networks/netw_zDW7KYAeqqfRfVag', 'id', 'netw_zDW7KYAeqqfRfVag'],
    ['https://panel.example/?vm=vm_x&network=public', 'permalink', 'public'],
  ])('%j is a network %s: %s', (raw, kind, value) => {
    expect(parseNetwork(raw)).toEqual({ ok: true, kind, value });
  });

  it.each([
    ['empty', '', /Enter the network/],
    ['only whitespace', '  ', /Enter the network/],
    ['longer than 255 characters', 'a'.repeat(256), /at most 255/],
    ['a 10 kB paste', 'x'.repeat(10_240), /10,240 characters/],
    ['netw_ alone', 'netw_', /network id is incomplete/],
    ['a look-alike', 'publіc', /U\+0456.*look-alike/],
    ['a permalink with a double hyphen', 'my--net', /A permalink is a short name/],
  ])('refuses %s', (_name, raw, message) => {
    const r = parseNetwork(raw);
    expect(r.ok ? '' : r.message).toMatch(message);
  });

  it.each([
    ['Public', 'public'],
    [' PUBLIC ', 'public'],
    ['pub lic', 'public'],
    ['Private-LAN', 'private-lan'],
    ['"Public"', 'public'],
  ])('matches the permalink %j without regard to case and spaces: %s', (raw, value) => {
    expect(parseNetwork(raw)).toEqual({ ok: true, kind: 'permalink', value });
    expect(parseNetwork(raw, 'permalink')).toEqual({ ok: true, kind: 'permalink', value });
  });

  it('keeps an id as typed: ids are case-sensitive', () => {
    expect(parseNetwork('netw_zDW7KYAeqqfRfVag')).toEqual({ ok: true, kind: 'id', value: 'netw_zDW7KYAeqqfRfVag' });
    expect(parseNetwork('netw_zDW7 KYAeqqfRfVag').ok).toBe(false);
    expect(parseNetwork('NetOffice', 'id').ok).toBe(false);
  });

  it('takes a permalink that looks like an id when the user says so', () => {
    expect(parseNetwork('net_office', 'permalink')).toEqual({ ok: true, kind: 'permalink', value: 'net_office' });
    expect(parseNetwork('net_office')).toEqual({ ok: true, kind: 'id', value: 'net_office' });
  });
});

describe('the query', () => {
  const targets: LookupTarget[] = [
    { vm: { kind: 'id', value: 'vm_a' }, network: { kind: 'id', value: 'netw_b' } },
    { vm: { kind: 'fqdn', value: 'a.example.com' }, network: { kind: 'permalink', value: 'public' } },
  ];
  it.each(targets)('sends exactly one parameter per object for %j', (t) => {
    const q = toLookupQuery(t);
    const keys = Object.keys(q);
    expect(keys.filter((k) => k.startsWith('virtual_machine['))).toHaveLength(1);
    expect(keys.filter((k) => k.startsWith('network['))).toHaveLength(1);
  });

  it('goes through one schema: errors on both fields at once', () => {
    const r = z.safeParse(lookupFormSchema, { vm: 'vm_', vmKind: 'auto', network: ' ', networkKind: 'auto' });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path.join('.'))).toEqual(['vm', 'network']);
  });
});

describe('the URL', () => {
  it('keeps plain values, and the kind only when the user overrode the detection', () => {
    expect(lookupParams({ vm: { kind: 'id', value: 'vm_a' }, network: { kind: 'permalink', value: 'public' } })).toEqual({ vm: 'vm_a', network: 'public' });
    expect(lookupParams({ vm: { kind: 'fqdn', value: 'vm_a.example.com' }, network: { kind: 'permalink', value: 'net_office' } })).toEqual({
      vm: 'fqdn:vm_a.example.com',
      network: 'permalink:net_office',
    });
    expect(lookupParams({ ip: '185.199.108.42' })).toEqual({ ip: '185.199.108.42' });
  });

  it('reads back what it wrote, override included', () => {
    const read = readLookupParams({ vm: 'vm_a', network: 'permalink:net_office' });
    expect(read.lookup).toEqual({
      vm: { kind: 'id', value: 'vm_a' },
      network: { kind: 'permalink', value: 'net_office' },
    });
    expect(lookupParams(read.lookup!)).toEqual({ vm: 'vm_a', network: 'permalink:net_office' });
    expect(read.fields).toEqual({
      vm: 'vm_a',
      vmKind: 'auto',
      network: 'net_office',
      networkKind: 'permalink',
    });
  });

  it('reads a lookup it has just written back as itself, without parsing it again', () => {
    const t: LookupTarget = { vm: { kind: 'fqdn', value: 'web-01.example.com' }, network: { kind: 'permalink', value: 'public' } };
    expect(readLookupParams(lookupParams(t)).lookup).toBe(t);
    const read = readLookupParams({ vm: 'vm_b', network: 'private' });
    expect(readLookupParams({ vm: 'vm_b', network: 'private' })).toBe(read);
  });

  it('reads a permalink in any case or spacing as the one it matches, and writes it so', () => {
    expect(readLookupParams({ vm: 'vm_a', network: ' Public ' }).lookup).toEqual({ vm: { kind: 'id', value: 'vm_a' }, network: { kind: 'permalink', value: 'public' } });
    expect(lookupParams({ vm: { kind: 'id', value: 'vm_a' }, network: { kind: 'permalink', value: 'Pub lic' } })).toEqual({ vm: 'vm_a', network: 'public' });
    expect(lookupParams({ vm: { kind: 'id', value: 'vm_a' }, network: { kind: 'id', value: 'netw_AbC' } })).toEqual({ vm: 'vm_a', network: 'netw_AbC' });
  });

  it.each([
    ['185.199.108.42/24', '185.199.108.42', '24'],
    ['2a03:2800:10:1::42/64', '2a03:2800:10:1::42', '64'],
  ])('reads ?ip=%s as a lookup of the address alone, and writes the prefix length back', (given, ip, prefixLength) => {
    const read = readLookupParams({ ip: given });
    expect(read.lookup).toEqual({ ip, prefixLength });
    expect(read.fields.vm).toBe(given);
    expect(lookupParams({ ip, prefixLength })).toEqual({ ip: given });
  });

  it('gives the form ?org= beside a VM’s name, for the organization’s VMs to be searched', () => {
    const read = readLookupParams({ org: 'acme', vm: 'web-01' });
    expect(read.lookup).toBeUndefined();
    expect(read.fields).toEqual({ vm: 'web-01', vmKind: 'auto', network: '', networkKind: 'auto', org: 'acme' });
    expect(isVmName('web-01')).toBe(true);
    expect(isVmName('vm_abc')).toBe(false);
    expect(isVmName('web-01.example.com')).toBe(false);
    expect(isVmName('185.199.108.42')).toBe(false);
  });

  it('keeps the organization a VM was found in: ?org= first, read back as the same lookup and form', () => {
    const t = { org: 'acme', vm: { kind: 'id' as const, value: 'vm_a' }, network: { kind: 'permalink' as const, value: 'public' } };
    const params = lookupParams(t);
    expect(params).toEqual({ org: 'acme', vm: 'vm_a', network: 'public' });
    expect(Object.keys(params)).toEqual(['org', 'vm', 'network']);
    // A link pasted elsewhere (not just written here) reads as the same lookup, the organization in its field.
    const read = readLookupParams({ org: ' acme ', vm: 'vm_a', network: 'public' });
    expect(read.lookup).toEqual(t);
    expect(read.fields).toEqual({ vm: 'vm_a', vmKind: 'auto', network: 'public', networkKind: 'auto', org: ' acme ' });
    expect(lookupParams(read.lookup!)).toEqual(params);
    // Without one, nothing is added; an address never carries one.
    expect(lookupParams({ vm: t.vm, network: t.network })).toEqual({ vm: 'vm_a', network: 'public' });
    expect(readLookupParams({ vm: 'vm_a', network: 'public' }).lookup).toEqual({ vm: t.vm, network: t.network });
    expect(readLookupParams({ org: 'acme', ip: '185.199.108.42' }).lookup).toEqual({ ip: '185.199.108.42' });
  });

  it('does not look up a link with an invalid or missing value', () => {
    expect(readLookupParams({ vm: 'vm_', network: 'public' }).lookup).toBeUndefined();
    expect(readLookupParams({ vm: 'vm_a' }).lookup).toBeUndefined();
    expect(readLookupParams({}).lookup).toBeUndefined();
  });

  it.each(['185.199.108.42', '2a03:2800:10:1::42'])('reads an address given as ?vm=%s (mount()’s initialVm) as a lookup by address', (ip) => {
    expect(readLookupParams({ vm: ip }).lookup).toEqual({ ip });
    expect(readLookupParams({ vm: ip, network: 'public' }).lookup).toEqual({ ip });
  });
});

describe('an IP address typed as the VM', () => {
  it.each(['185.199.108.42', '2a03:2800:10:1::42'])('%s is taken as an IP address, whose VM and network are looked up', (ip) => {
    expect(parseVm(ip)).toEqual({ ok: true, kind: 'ip', value: ip });
    // The address leads to its own network: the Network field is not needed.
    expect(z.safeParse(lookupFormSchema, { vm: ip, vmKind: 'auto', network: '', networkKind: 'auto' }).data).toEqual({ ip });
  });

  it.each([
    ['185.199.108.42/24', '185.199.108.42', '24'],
    [' 2a03:2800:10:1::42/64 ', '2a03:2800:10:1::42', '64'],
    ['185.199.108.42/32', '185.199.108.42', '32'],
  ])('%j is looked up without its prefix length', (raw, ip, prefixLength) => {
    expect(parseVm(raw)).toEqual({ ok: true, kind: 'ip', value: ip, prefixLength });
    expect(z.safeParse(lookupFormSchema, { vm: raw, vmKind: 'auto', network: '', networkKind: 'auto' }).data).toEqual({ ip, prefixLength });
  });

  it('refuses a prefix length on an address that is not valid', () => {
    const r = parseVm('185.199.108.420/24');
    expect(r.ok ? '' : r.message).toMatch(/Not a valid IPv4 address/);
  });
});
