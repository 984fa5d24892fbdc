/**
 * How many calls go to Katapult at once, and how many may wait for a turn. A full queue is refused
 * at once (503 upstream_busy) rather than left to wait; a caller whose deadline passes while it
 * waits leaves the queue.
 */
export class QueueFull extends Error {
  override name = 'QueueFull';
}

interface Waiter {
  grant: (release: () => void) => void;
  fail: (e: unknown) => void;
}

export class Gate {
  private active = 0;
  private readonly waiting: Waiter[] = [];
  constructor(
    readonly limit: number,
    readonly queueLimit: number,
  ) {}

  get state() {
    return {
      in_flight: this.active,
      queued: this.waiting.length,
      connections: this.limit,
      queue_limit: this.queueLimit,
      saturated: this.active >= this.limit && this.waiting.length >= this.queueLimit,
    };
  }

  /** Resolves with the function that gives the turn back; rejects with QueueFull, or the signal's reason. */
  acquire(signal: AbortSignal): Promise<() => void> {
    if (signal.aborted) return Promise.reject(signal.reason);
    if (this.active < this.limit) {
      this.active += 1;
      return Promise.resolve(this.releaser());
    }
    if (this.waiting.length >= this.queueLimit) return Promise.reject(new QueueFull());
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        const i = this.waiting.indexOf(waiter);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(signal.reason);
      };
      const waiter: Waiter = {
        grant: (release) => {
          signal.removeEventListener('abort', onAbort);
          resolve(release);
        },
        fail: reject,
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(waiter);
    });
  }

  private releaser() {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const next = this.waiting.shift();
      if (next) next.grant(this.releaser());
      else this.active -= 1;
    };
  }
}
