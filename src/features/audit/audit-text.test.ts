import { describe, expect, it } from 'vitest';
import { statusColour } from '../../components/status-chip.tsx';
import { NOT_SEEN_AFTER_MS, outcomeView, profileText } from './audit-text.ts';
import { makeEntry } from './testing/audit-fixture.ts';

const NOW = Date.parse('2026-12-01T12:00:00Z');
const ago = (ms: number) => new Date(NOW - ms).toISOString();

describe('outcomeView', () => {
  it('reads a change still running as Running until it has not been seen for a while', () => {
    const running = makeEntry(NOW, 0, { outcome: 'running', last_seen_at: ago(NOT_SEEN_AFTER_MS - 1000), ended_at: null });
    expect(outcomeView(running, NOW)).toMatchObject({ kind: 'running', text: 'Running' });
    expect(statusColour(outcomeView(running, NOW).kind)).toBe('info');
    const lost = { ...running, last_seen_at: ago(3 * 3_600_000) };
    expect(outcomeView(lost, NOW, 'en')).toMatchObject({
      kind: 'not_seen',
      text: 'Outcome not seen · last seen running 3 hours ago',
    });
    expect(statusColour(outcomeView(lost, NOW).kind)).toBe('warning');
  });

  it('reads a change whose PATCH never answered as pending, then as not seen since it was sent', () => {
    const pending = makeEntry(NOW, 1, { outcome: 'pending', task_id: null, last_seen_at: null, ended_at: null });
    expect(outcomeView(pending, NOW).text).toBe('Pending');
    const old = { ...pending, at: ago(2 * 86_400_000) };
    expect(outcomeView(old, NOW, 'en').text).toBe('Outcome not seen · sent 2 days ago, no answer recorded');
  });

  it('names the error code of a rejected change', () => {
    const rejected = makeEntry(NOW, 1, { outcome: 'rejected', error_code: 'task_queueing_error' });
    expect(outcomeView(rejected, NOW)).toMatchObject({ text: 'Rejected: task_queueing_error' });
    expect(statusColour(outcomeView(rejected, NOW).kind)).toBe('error');
  });
});

describe('profileText', () => {
  it('prefers the name, then the permalink, then the id', () => {
    expect(profileText({ id: 'nsp_1', name: null, permalink: '10gbps' })).toBe('10gbps');
    expect(profileText({ id: 'nsp_1', name: null })).toBe('nsp_1');
    expect(profileText(null)).toBe('unknown');
  });
});
