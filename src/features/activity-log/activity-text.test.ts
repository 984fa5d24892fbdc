import { describe, expect, it } from 'vitest';
import type { ActivityEntry } from './activity-store.ts';
import { describeEntry } from './activity-text.ts';

const base = { id: 'x', at: 0, vm: 'vm_web1', network: 'netw_public' };

describe('describeEntry', () => {
  it('a lookup by IP address names the address', () => {
    const e: ActivityEntry = { ...base, kind: 'lookup', ip: '185.199.108.42', vmName: 'web-01', networkName: 'Public', interfaceName: 'eth0' };
    expect(describeEntry(e)).toBe('Looked up web-01 (vm_web1) on Public (netw_public) from IP address 185.199.108.42: interface eth0');
  });

  it('a failed lookup by IP address says which address', () => {
    const e: ActivityEntry = { ...base, vm: '203.0.113.7', network: '', kind: 'lookup', ip: '203.0.113.7', error: 'ip_address_not_found · HTTP 404' };
    expect(describeEntry(e)).toBe('Lookup of IP address 203.0.113.7 failed: ip_address_not_found · HTTP 404');
  });

  it('a refused change says nothing changed and gives its code, with no task', () => {
    const e: ActivityEntry = {
      ...base,
      kind: 'change',
      vmName: 'flaky-06',
      networkName: 'Public Network',
      interfaceName: 'eth0',
      from: '1 Gbps',
      to: '10 Gbps',
      taskId: '',
      answer: 'refused',
      error: 'change_in_progress · HTTP 409',
    };
    expect(describeEntry(e)).toBe(
      'Speed change refused (change_in_progress · HTTP 409), nothing changed: interface eth0 of VM flaky-06 (vm_web1), network Public Network (netw_public): 1 Gbps → 10 Gbps',
    );
  });

  it('a failed change names the interface, VM and network once each', () => {
    const e: ActivityEntry = { ...base, kind: 'change', vmName: 'flaky-06', networkName: 'Public Network', from: '1 Gbps', to: '10 Gbps', taskId: 'task_1' };
    expect(describeEntry(e, 'failed')).toBe('Speed change failed: the interface of VM flaky-06 (vm_web1), network Public Network (netw_public): 1 Gbps → 10 Gbps · task task_1');
  });

  it('a change with no usable answer says its outcome is unknown', () => {
    const e: ActivityEntry = { ...base, kind: 'change', interfaceName: 'eth0', to: '10 Gbps', taskId: '', answer: 'unknown', error: 'network error' };
    expect(describeEntry(e)).toBe('Speed change sent, outcome unknown (network error): interface eth0 of VM vm_web1, network netw_public: unknown → 10 Gbps');
  });
});
