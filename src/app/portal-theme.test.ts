import { describe, expect, it } from 'vitest';
import { originAllowed } from './portal-theme.ts';

describe('originAllowed', () => {
  const self = 'https://panel.example';
  it('takes the panel’s own origin for self, and listed origins', () => {
    expect(originAllowed(self, ["'self'"], self)).toBe(true);
    expect(originAllowed('https://portal.example', ["'self'", 'https://portal.example'], self)).toBe(true);
  });
  it('takes a wildcard host', () => {
    expect(originAllowed('https://eu.portal.example', ['https://*.portal.example'], self)).toBe(true);
    expect(originAllowed('https://evilportal.example', ['https://*.portal.example'], self)).toBe(false);
  });
  it('refuses anything else', () => {
    expect(originAllowed('https://evil.example', ["'self'", 'https://portal.example'], self)).toBe(false);
    expect(originAllowed('null', ["'none'"], self)).toBe(false);
  });
});
