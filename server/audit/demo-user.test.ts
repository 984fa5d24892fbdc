import { describe, expect, it } from 'vitest';
import { UNKNOWN_USER, userOf } from './context.ts';
import { demoUserName, demoUserOf } from './demo-user.ts';

describe('demo user names', () => {
  it('gives each demo session a readable name, the same one every time', () => {
    expect(demoUserName('session-a')).toMatch(/^demo-user-[a-z]+-[0-9a-f]{2}$/);
    expect(demoUserName('session-a')).toBe(demoUserName('session-a'));
    expect(new Set(['a', 'b', 'c', 'd', 'e', 'f'].map(demoUserName)).size).toBeGreaterThan(1);
  });

  it('is used only when no trusted header is configured, and only when given (demo mode)', () => {
    const demo = demoUserOf((cookie) => (cookie ?? '').replace('s=', ''));
    const headers = { cookie: 's=abc', 'x-user': 'ann@staff.example' };
    expect(userOf(headers, undefined, demo)).toBe(demoUserName('abc'));
    expect(userOf(headers, undefined)).toBe(UNKNOWN_USER);
    expect(userOf(headers, 'x-user', demo)).toBe('ann@staff.example');
  });
});
