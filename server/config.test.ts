import { describe, expect, it } from 'vitest';
import { ALLOWED, isAllowed } from './allowlist.ts';
import { loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('runs in demo mode with the documented defaults when nothing is set', () => {
    expect(loadConfig({})).toMatchObject({
      mode: 'demo',
      port: 3000,
      host: '127.0.0.1',
      upstreamUrl: undefined,
      token: undefined,
      upstreamTimeoutMs: 15000,
      logLevel: 'info',
      frameAncestors: ["'self'"],
    });
  });

  it('runs in live mode when KATAPULT_API_URL is set, without its trailing slash', () => {
    const c = loadConfig({ KATAPULT_API_URL: 'https://api.katapult.io/core/v1/', KATAPULT_API_TOKEN: ' abc123\n' });
    expect(c.mode).toBe('live');
    expect(c.upstreamUrl).toBe('https://api.katapult.io/core/v1');
    expect(c.token).toBe('abc123');
  });

  it('refuses a production start without KATAPULT_API_URL unless DEMO=1 asks for the demo by name', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/KATAPULT_API_URL is not set: with NODE_ENV=production .* or set DEMO=1/);
    expect(() => loadConfig({ NODE_ENV: 'production', KATAPULT_API_URL: '' })).toThrow(/KATAPULT_API_URL is not set/);
    expect(loadConfig({ NODE_ENV: 'production', DEMO: '1' }).mode).toBe('demo');
    expect(loadConfig({ NODE_ENV: 'production', KATAPULT_API_URL: 'https://api.katapult.io/core/v1' }).mode).toBe('live');
    // Outside production the demo stays the default, and a contradiction is named either way.
    expect(loadConfig({ NODE_ENV: 'development' }).mode).toBe('demo');
    expect(() => loadConfig({ DEMO: '1', KATAPULT_API_URL: 'https://api.katapult.io/core/v1' })).toThrow(/both set/);
    expect(() => loadConfig({ DEMO: '0' })).toThrow(/DEMO=0 asks for Katapult/);
    expect(() => loadConfig({ DEMO: 'yes' })).toThrow(/DEMO must be 1/);
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ KATAPULT_API_URL: '', PORT: '' })).toMatchObject({ mode: 'demo', port: 3000 });
  });

  it('splits FRAME_ANCESTORS into CSP sources', () => {
    expect(loadConfig({ FRAME_ANCESTORS: "'self'  https://portal.example.com" }).frameAncestors).toEqual([
      "'self'",
      'https://portal.example.com',
    ]);
  });

  it('names every bad variable in one error, without echoing the token', () => {
    let message = '';
    try {
      loadConfig({
        PORT: 'eighty',
        KATAPULT_API_URL: 'api.katapult.io',
        KATAPULT_API_TOKEN: 'has a secret space',
        UPSTREAM_TIMEOUT_MS: '-1',
        LOG_LEVEL: 'loud',
        FRAME_ANCESTORS: "'self'; script-src *",
      });
    } catch (e) {
      message = (e as Error).message;
    }
    for (const name of ['PORT', 'KATAPULT_API_URL', 'KATAPULT_API_TOKEN', 'UPSTREAM_TIMEOUT_MS', 'LOG_LEVEL', 'FRAME_ANCESTORS']) {
      expect(message).toContain(name);
    }
    expect(message).not.toContain('secret');
  });
});

describe('the allowlist', () => {
  it('holds exactly the endpoints the panel uses, from the vendored spec', () => {
    expect([...ALLOWED].map((r) => `${r.method} ${r.path}`).sort()).toEqual([
      'GET /ip_addresses/ip_address',
      'GET /organizations/organization/network_speed_profiles',
      'GET /organizations/organization/virtual_machines',
      'GET /tasks/task',
      'GET /virtual_machine_network_interfaces/virtual_machine_network_interface',
      'GET /virtual_machines/virtual_machine',
      'GET /virtual_machines/virtual_machine/network_interfaces',
      'GET /virtual_machines/virtual_machine/networks/network/interface',
      'PATCH /virtual_machine_network_interfaces/virtual_machine_network_interface/update_speed_profile',
    ]);
  });

  it('allows a listed method and path and nothing else', () => {
    expect(isAllowed('GET', '/tasks/task')).toBe(true);
    expect(isAllowed('get', '/tasks/task')).toBe(true);
    expect(isAllowed('DELETE', '/tasks/task')).toBe(false);
    expect(isAllowed('GET', '/tasks/task/')).toBe(false);
    expect(isAllowed('GET', '/organizations')).toBe(false);
  });
});
