import { screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { auditKeys } from '../../api/audit.ts';
import { renderWithProviders } from '../../testing/test-utils.tsx';
import { FALLBACK_REFRESH_MS, useLiveChanges } from '../live-changes.ts';

function Probe({ interfaceId }: { interfaceId: string }) {
  const { down } = useLiveChanges(interfaceId);
  return <span>{down ? 'stream down' : 'stream up'}</span>;
}

/** An EventSource that opens at once and stays open. */
class OpenEventSource {
  static readonly CLOSED = 2;
  static urls: string[] = [];
  readyState = 1;
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  constructor(url: string) {
    OpenEventSource.urls.push(url);
    queueMicrotask(() => this.onopen?.());
  }
  addEventListener() {}
  close() {
    this.readyState = OpenEventSource.CLOSED;
  }
}

const pollingOf = (queryClient: Awaited<ReturnType<typeof renderWithProviders>>['queryClient']) =>
  queryClient
    .getQueryCache()
    .find({ queryKey: auditKeys.recent('vmnet_live1') })
    ?.observers.map((o) => o.options.refetchInterval);

describe('the card’s live changes', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    OpenEventSource.urls = [];
  });

  it('follows the interface’s stream, and does not poll while it is open', async () => {
    vi.stubGlobal('EventSource', OpenEventSource);
    const { queryClient } = await renderWithProviders(<Probe interfaceId="vmnet_live1" />);
    await screen.findByText('stream up');
    expect(OpenEventSource.urls).toEqual(['http://panel.test/api/panel/events?interface=vmnet_live1']);
    expect(pollingOf(queryClient)).toEqual([false]);
  });

  it('refetches the interface’s recent changes on an interval where no stream can be held open', async () => {
    vi.stubGlobal('EventSource', undefined);
    const { queryClient } = await renderWithProviders(<Probe interfaceId="vmnet_live1" />);
    await screen.findByText('stream down');
    expect(pollingOf(queryClient)).toEqual([FALLBACK_REFRESH_MS]);
  });
});
