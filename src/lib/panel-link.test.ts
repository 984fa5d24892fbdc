import { describe, expect, it } from 'vitest';
import { panelLink } from './panel-link.ts';

describe('panelLink', () => {
  it('gives ?vm=&network= on the panel’s page, without the task', () => {
    expect(panelLink({ vm: 'vm_1', network: 'public' }, '/api', 'https://panel.example/?vm=vm_1&network=public&task=task_9')).toBe(
      'https://panel.example/?vm=vm_1&network=public',
    );
  });
  it('keeps the organization a VM was found in, first, so the link opens the form as it was', () => {
    expect(panelLink({ org: 'acme', vm: 'vm_1', network: 'public' }, '/api', 'https://panel.example/?org=acme&vm=vm_1&network=public&task=task_9')).toBe(
      'https://panel.example/?org=acme&vm=vm_1&network=public',
    );
  });
  it('gives ?ip= for a lookup from an IP address', () => {
    expect(panelLink({ ip: '185.199.108.42' }, '/api', 'https://panel.example/')).toBe('https://panel.example/?ip=185.199.108.42');
  });
  it('inside a portal, points at the panel’s server (where its API is)', () => {
    expect(panelLink({ vm: 'vm_1', network: 'netw_2' }, 'https://panel.example/api', 'https://portal.example/tickets/42')).toBe(
      'https://panel.example/?vm=vm_1&network=netw_2',
    );
  });
});
