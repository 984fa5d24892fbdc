import { waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { mockServer } from '../../../mock/node.ts';
import { DEMO } from '../../../mock/seed.ts';
import { mount, type Unmount } from '../mount.tsx';

const TOKEN = 'portal-user-token-kept-in-memory-only';

let host: HTMLElement;
let unmount: Unmount | undefined;
afterEach(() => {
  unmount?.();
  unmount = undefined;
  host?.remove();
  mockServer.events.removeAllListeners();
});

function place() {
  host = document.createElement('div');
  host.append(document.createTextNode('host content'));
  document.body.append(host);
  return host;
}

/** The panel's top node inside the element's shadow root. */
const inShadow = (el: HTMLElement) => {
  const top = el.shadowRoot?.querySelector<HTMLElement>('.katapult-panel');
  if (!top) throw new Error('no panel in the shadow root');
  return within(top);
};

// The first render pays for loading MUI and the app: give it room on a busy machine.
describe('mount()', { timeout: 20_000 }, () => {
  it('renders the panel in the element’s shadow root, with its styles there and not in the host’s head', async () => {
    unmount = mount(place(), { apiBase: 'http://panel.test/api', initialVm: DEMO.vm, initialNetwork: DEMO.network });
    const card = await inShadow(host).findByRole('region', { name: 'Network interface' }, { timeout: 15_000 });
    expect(within(card).getByText(DEMO.mac)).toBeInTheDocument();
    expect(host.shadowRoot?.querySelectorAll('style').length).toBeGreaterThan(0);
    expect(document.head.querySelectorAll('style[data-emotion]')).toHaveLength(0);
    expect(window.location.search).toBe('');
  });

  it('looks up an IP address given as initialVm, without a network', async () => {
    unmount = mount(place(), { apiBase: 'http://panel.test/api', initialVm: DEMO.ipv4 });
    const card = await inShadow(host).findByRole('region', { name: 'Network interface' }, { timeout: 15_000 });
    expect(within(card).getByText(DEMO.mac)).toBeInTheDocument();
    expect(inShadow(host).getByText(`${DEMO.ipv4}`, { selector: 'strong' }).closest('[role="status"]')).toHaveTextContent(`${DEMO.ipv4} is on`);
    expect(inShadow(host).getByRole('textbox', { name: 'Virtual machine' })).toHaveValue(DEMO.ipv4);
  });

  it('sends the host’s token on every request and keeps it nowhere else', async () => {
    const authorizations: (string | null)[] = [];
    mockServer.events.on('request:start', ({ request }) => {
      // The panel's own /api/_panel/config is answered by its server, not Katapult: no token needed.
      if (!request.url.includes('/_panel/')) authorizations.push(request.headers.get('authorization'));
    });
    unmount = mount(place(), {
      apiBase: 'http://panel.test/api',
      initialVm: DEMO.vm,
      initialNetwork: DEMO.network,
      getAccessToken: async () => TOKEN,
    });
    await inShadow(host).findByRole('region', { name: 'Network interface' }, { timeout: 15_000 });
    expect(authorizations.length).toBeGreaterThan(1);
    expect(new Set(authorizations)).toEqual(new Set([`Bearer ${TOKEN}`]));
    const stored = [
      JSON.stringify({ ...localStorage }),
      JSON.stringify({ ...sessionStorage }),
      document.cookie,
      window.location.href,
      document.documentElement.outerHTML,
      host.shadowRoot?.innerHTML ?? '',
    ];
    for (const place of stored) expect(place).not.toContain(TOKEN);
  });

  it('unmount() removes everything it rendered and gives the element its own content back', async () => {
    unmount = mount(place());
    await inShadow(host).findByRole('button', { name: 'Look up' });
    expect(() => mount(host)).toThrow(/already mounted/);
    unmount();
    unmount();
    await waitFor(() => expect(host.shadowRoot?.querySelectorAll('*:not(slot)')).toHaveLength(0));
    expect(host.shadowRoot?.querySelector('slot')).not.toBeNull();
    expect(host.textContent).toBe('host content');
    // The element can take a panel again.
    unmount = mount(host);
    expect(await inShadow(host).findByRole('button', { name: 'Look up' })).toBeInTheDocument();
  });
});
