/**
 * When the follower asks the database: with a change feed it sleeps until the next look is due,
 * is woken by a write, and otherwise asks only at the safety poll; without one it asks every
 * TICK_MS. Driven by Vitest's fake timers, so nothing waits on the wall clock.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AuditStore } from '../audit/store.ts';
import { createFollower, SAFETY_POLL_MS, TICK_MS } from './follower.ts';

const silent = { debug() {}, info() {}, warn() {}, error() {} } as unknown as Parameters<typeof createFollower>[0]['log'];

/** A store with nothing to claim whose next due time the test sets; it counts the rounds. */
function store() {
  const s = { rounds: 0, next: undefined as Date | undefined };
  const stub = {
    claimDue: async () => {
      s.rounds++;
      return [];
    },
    nextDue: async () => s.next,
    releaseLeases: async () => {},
  } as unknown as AuditStore;
  return { s, stub };
}

/** Lets the round in flight (promises only, no timers) finish. */
const settle = () => vi.advanceTimersByTimeAsync(0);

describe('the follower’s schedule', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('with a feed: asks once, then only when woken by a write, when a look is due, or at the safety poll', async () => {
    const { s, stub } = store();
    let write = () => {};
    let subscribed = 0;
    const follower = createFollower({
      store: stub,
      owner: 'me',
      now: () => new Date(),
      read: async () => undefined,
      followMs: 60 * 60_000,
      log: silent,
      wake: (onWrite) => {
        subscribed++;
        write = onWrite;
        return () => void subscribed--;
      },
    });
    follower.start();
    await settle();
    expect(s.rounds).toBe(1);
    // Nothing open: no round for as long as a poll every TICK_MS would have made many.
    await vi.advanceTimersByTimeAsync(SAFETY_POLL_MS - 100);
    expect(s.rounds).toBe(1);
    write();
    await settle();
    expect(s.rounds).toBe(2);
    // A look due in 1 s: the next round comes then, not at the safety poll.
    s.next = new Date(Date.now() + 1000);
    write();
    await settle();
    expect(s.rounds).toBe(3);
    await vi.advanceTimersByTimeAsync(999);
    expect(s.rounds).toBe(3);
    // That round takes the look; nothing is due after it, so the safety poll is the next round.
    s.next = undefined;
    await vi.advanceTimersByTimeAsync(1);
    expect(s.rounds).toBe(4);
    await vi.advanceTimersByTimeAsync(SAFETY_POLL_MS - 1);
    expect(s.rounds).toBe(4);
    await vi.advanceTimersByTimeAsync(1);
    expect(s.rounds).toBe(5);
    await follower.stop();
    expect(subscribed).toBe(0);
    write();
    await vi.advanceTimersByTimeAsync(SAFETY_POLL_MS * 2);
    expect(s.rounds).toBe(5);
  });

  it('without a feed: asks every TICK_MS', async () => {
    const { s, stub } = store();
    const follower = createFollower({ store: stub, owner: 'me', now: () => new Date(), read: async () => undefined, followMs: 60_000, log: silent });
    follower.start();
    await settle();
    await vi.advanceTimersByTimeAsync(TICK_MS * 4);
    expect(s.rounds).toBe(5);
    await follower.stop();
  });
});
