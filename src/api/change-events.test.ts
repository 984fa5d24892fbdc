import { afterEach, describe, expect, it, vi } from 'vitest';
import { changeEventsUrl, MAX_FAILED_ATTEMPTS, openChangeEvents, REOPEN_AFTER_MS } from './change-events.ts';

/** A stand-in for the browser's EventSource that the test drives. */
class FakeEventSource {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  static opened: FakeEventSource[] = [];
  readyState = FakeEventSource.CONNECTING;
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  private listeners = new Map<string, ((e: { data: string }) => void)[]>();
  constructor(readonly url: string) {
    FakeEventSource.opened.push(this);
  }
  addEventListener(type: string, l: (e: { data: string }) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), l]);
  }
  close() {
    this.readyState = FakeEventSource.CLOSED;
  }
  open() {
    this.readyState = FakeEventSource.OPEN;
    this.onopen?.();
  }
  emit(type: string, data: string) {
    for (const l of this.listeners.get(type) ?? []) l({ data });
  }
  fail(closed = false) {
    this.readyState = closed ? FakeEventSource.CLOSED : FakeEventSource.CONNECTING;
    this.onerror?.();
  }
}

const entry = {
  id: 'aud_1',
  at: '2026-12-01T09:00:00.000Z',
  updated_at: '2026-12-01T09:00:01.000Z',
  user: 'alice',
  vm: { id: 'vm_1', name: 'web-1' },
  interface_id: 'vmnet_1',
  network: { id: null, name: null },
  from_profile: null,
  from_source: 'panel',
  to_profile: { id: 'nsp_1', permalink: null, name: '10 Gbps' },
  outcome: 'running',
  task_id: 'task_1',
  error_code: null,
  last_seen_at: null,
  ended_at: null,
  blocking: true,
  blocking_until: null,
  expired: false,
  expired_at: null,
  task_progress: 40,
  can_change_back: false,
};

function open() {
  const handlers = { onEvent: vi.fn(), onOpen: vi.fn(), onDown: vi.fn() };
  const close = openChangeEvents(changeEventsUrl('/api', 'vmnet_1'), handlers);
  return { handlers, close, source: () => FakeEventSource.opened.at(-1)! };
}

describe('the change event stream', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
    FakeEventSource.opened = [];
  });

  it('hands on each well-formed change event and ignores what is not one', () => {
    vi.stubGlobal('EventSource', FakeEventSource);
    const { handlers, source } = open();
    expect(source().url).toBe('/api/panel/events?interface=vmnet_1');
    source().open();
    expect(handlers.onOpen).toHaveBeenCalledTimes(1);
    source().emit('change', JSON.stringify({ kind: 'progress', entry }));
    source().emit('change', 'not json');
    source().emit('change', JSON.stringify({ kind: 'progress', entry: { id: 'aud_2' } }));
    expect(handlers.onEvent).toHaveBeenCalledTimes(1);
    expect(handlers.onEvent).toHaveBeenCalledWith({ kind: 'progress', entry });
  });

  it('reports the stream down when the server refuses it, or after repeated failures, and tries again later', () => {
    vi.useFakeTimers();
    vi.stubGlobal('EventSource', FakeEventSource);
    const { handlers, close, source } = open();
    for (let i = 1; i < MAX_FAILED_ATTEMPTS; i++) source().fail();
    expect(handlers.onDown).not.toHaveBeenCalled();
    source().fail();
    expect(handlers.onDown).toHaveBeenCalledTimes(1);
    expect(source().readyState).toBe(FakeEventSource.CLOSED);

    vi.advanceTimersByTime(REOPEN_AFTER_MS);
    expect(FakeEventSource.opened).toHaveLength(2);
    source().fail(true); // refused (e.g. 503): EventSource would not retry by itself
    expect(handlers.onDown).toHaveBeenCalledTimes(2);
    close();
    vi.advanceTimersByTime(REOPEN_AFTER_MS);
    expect(FakeEventSource.opened).toHaveLength(2);
  });

  it('is down at once where the browser has no EventSource', () => {
    vi.stubGlobal('EventSource', undefined);
    const { handlers } = open();
    expect(handlers.onDown).toHaveBeenCalledTimes(1);
  });
});
