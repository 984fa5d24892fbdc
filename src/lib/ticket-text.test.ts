import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../protocol/audit.ts';
import { AUDIT_OUTCOMES } from '../../protocol/audit.ts';
import { ApiError } from '../api/api-error.ts';
import { auditTicketChange, changeTicketText, errorTicketText, formatUtc } from './ticket-text.ts';


const NOW = Date.parse('2026-12-07T09:30:00Z');

/** A completed change asked `minutesAgo` before NOW, with `over` applied. */
function makeEntry(nowMs: number, minutesAgo: number, over: Partial<AuditEntry> = {}): AuditEntry {
  const at = new Date(nowMs - minutesAgo * 60_000).toISOString();
  return {
    id: 'aud_1',
    at,
    user: 'ana@example.com',
    vm: { id: 'vm_web1', name: 'web-1' },
    interface_id: 'vmni_web1a',
    network: { id: 'netw_public', name: 'Public' },
    from_profile: { id: 'nsp_1g', name: '1 Gbps' },
    from_source: 'katapult',
    to_profile: { id: 'nsp_10g', permalink: '10gbps', name: '10 Gbps' },
    outcome: 'completed',
    task_id: 'task_1',
    error_code: null,
    last_seen_at: at,
    blocking: false,
    blocking_until: null,
    expired: false,
    expired_at: null,
    ended_at: at,
    updated_at: at,
    task_progress: null,
    can_change_back: false,
    ...over,
  };
}
const speeds: Record<string, string> = { nsp_1g: 'up 1 Gbit/s, down 1 Gbit/s', nsp_10g: 'up 10 Gbit/s, down 10 Gbit/s' };
const known = { speedsOf: (p: { id?: string | null | undefined }) => (p.id ? speeds[p.id] : undefined), interfaceName: 'eth0' };

describe('formatUtc', () => {
  it('writes the time in UTC with the zone', () => {
    expect(formatUtc('2026-12-07T09:14:59Z')).toBe('2026-12-07 09:14 UTC');
    expect(formatUtc(Date.parse('2026-12-07T04:14:00-05:00') / 1000)).toBe('2026-12-07 09:14 UTC');
  });
  it('gives an unparseable time as it came', () => {
    expect(formatUtc('yesterday')).toBe('yesterday');
  });
});

describe('changeTicketText', () => {
  const entry = (over: Parameters<typeof makeEntry>[2]) => makeEntry(NOW, 16, { task_id: 'task_abc', ended_at: '2026-12-07T09:15:30Z', ...over });

  it('a completed change: what, who, when in UTC, from → to with speeds, the task and its end', () => {
    const text = changeTicketText(auditTicketChange(entry({ outcome: 'completed' }), known));
    expect(text).toBe(
      'Speed profile change of interface eth0 (vmni_web1a), on VM web-1 (vm_web1), network Public (netw_public): ' +
        'from 1 Gbps (up 1 Gbit/s, down 1 Gbit/s) to 10 Gbps (up 10 Gbit/s, down 10 Gbit/s), asked by ana@example.com at 2026-12-07 09:14 UTC. ' +
        'Task task_abc: completed at 2026-12-07 09:15 UTC.',
    );
  });

  it('names the IP address the lookup started from', () => {
    expect(changeTicketText(auditTicketChange(entry({}), { ...known, ip: '185.199.108.42' }))).toContain('(looked up from IP address 185.199.108.42)');
  });

  it('a running change gives its progress', () => {
    expect(changeTicketText(auditTicketChange(entry({ outcome: 'running', task_progress: 40, ended_at: null }), known))).toMatch(/Task task_abc: running \(40%\)\.$/);
  });

  it('a pending change says it has not started', () => {
    expect(changeTicketText(auditTicketChange(entry({ outcome: 'pending', ended_at: null }), known))).toMatch(/Task task_abc: sent to Katapult, not started yet\.$/);
  });

  it('a failed change says the interface keeps its profile', () => {
    expect(changeTicketText(auditTicketChange(entry({ outcome: 'failed' }), known))).toMatch(
      /Task task_abc: failed at 2026-12-07 09:15 UTC; Katapult did not apply it, the interface keeps its previous profile\.$/,
    );
  });

  it('a refused change gives its code and no task', () => {
    const text = changeTicketText(auditTicketChange(entry({ outcome: 'rejected', task_id: null, error_code: 'change_in_progress' }), known));
    expect(text).toMatch(/Refused \(change_in_progress\): nothing was changed\.$/);
    expect(text).not.toContain('Task');
  });

  it('an already assigned profile is nothing to change', () => {
    expect(changeTicketText(auditTicketChange(entry({ outcome: 'already_assigned', task_id: null, error_code: 'speed_profile_already_assigned' }), known))).toMatch(
      /Nothing to change: the interface already had that profile \(speed_profile_already_assigned\)\.$/,
    );
  });

  it('an outcome never seen says so and asks to check the interface', () => {
    expect(changeTicketText(auditTicketChange(entry({ outcome: 'unknown', error_code: 'task_not_seen_to_end' }), known))).toMatch(
      /Task task_abc: outcome unknown, the change was never seen to end \(task_not_seen_to_end\); check the interface's current profile\.$/,
    );
  });

  it('every outcome gives one paragraph naming the VM, both profiles and the time', () => {
    for (const outcome of AUDIT_OUTCOMES) {
      const text = changeTicketText(auditTicketChange(entry({ outcome }), known));
      expect(text, outcome).not.toContain('\n');
      expect(text, outcome).toContain('web-1 (vm_web1)');
      expect(text, outcome).toContain('from 1 Gbps (up 1 Gbit/s, down 1 Gbit/s) to 10 Gbps');
      expect(text, outcome).toContain('2026-12-07 09:14 UTC');
    }
  });

  it('says when the "from" profile was not recorded and leaves out unknown speeds', () => {
    const text = changeTicketText(auditTicketChange(entry({ from_profile: null }), {}));
    expect(text).toContain('from its previous profile (not recorded) to 10 Gbps, asked');
    expect(text).toContain('interface vmni_web1a,');
  });
});

describe('errorTicketText', () => {
  const at = Date.parse('2026-12-07T09:14:00Z') / 1000;

  it('a Katapult error: what was asked, the sentence, the code, the HTTP status and Katapult’s words', () => {
    const e = new ApiError({
      kind: 'katapult',
      status: 406,
      code: 'object_in_trash',
      description: 'The object found is in the trash.',
      detail: { trash_object: { object_type: 'VirtualMachine', object_id: 'vm_old', keep_until: at + 6 * 86_400 } },
    });
    const text = errorTicketText(e, { asked: 'Lookup of VM vm_old on network public', at, locale: 'en-GB' });
    expect(text).toMatch(/^Lookup of VM vm_old on network public at 2026-12-07 09:14 UTC failed: The virtual machine is in the trash\. vm_old is in Katapult’s trash until /);
    expect(text).toContain('Code object_in_trash, HTTP 406.');
    expect(text).toContain('Katapult said: “The object found is in the trash.”');
  });

  it('a refused change (409) names who asked and the code', () => {
    const e = new ApiError({ kind: 'katapult', status: 409, code: 'change_in_progress', description: 'busy' });
    const text = errorTicketText(e, { asked: 'Change of interface eth0 on VM web-01 to 10 Gbps', context: 'change', user: 'alice', at });
    expect(text).toMatch(/^Change of interface eth0 on VM web-01 to 10 Gbps by alice at 2026-12-07 09:14 UTC failed: /);
    expect(text).toContain('Code change_in_progress, HTTP 409.');
  });

  it('an unexpected answer gives its HTTP status', () => {
    const text = errorTicketText(new ApiError({ kind: 'unexpected', status: 502 }), { at });
    expect(text).toMatch(/^Error at 2026-12-07 09:14 UTC: Unexpected response \(HTTP 502 Bad Gateway\)\. .* HTTP 502\.$/);
  });

  it('a network error says no answer came', () => {
    const text = errorTicketText(new ApiError({ kind: 'network', status: 0 }), { context: 'change', at });
    expect(text).toContain('The connection was lost while sending the change.');
    expect(text).toMatch(/No HTTP answer \(network error\)\.$/);
  });
});
