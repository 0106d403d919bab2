/** The rejection of a lease when CONTENTION_MAX_QUEUE requests are already waiting. */
export class PoolSaturatedError extends Error {
  constructor(
    readonly waiting: number,
    readonly size: number,
  ) {
    super(
      `contention pool saturated: ${waiting} requests already waiting for ${size} connection${size === 1 ? '' : 's'}`,
    );
    this.name = 'PoolSaturatedError';
  }
}

/** A connection held by one request. `release()` is idempotent. */
export interface Lease {
  release(): void;
}

export interface Ticket {
  /** Requests holding or waiting for a connection when this one arrived. */
  readonly requestsAhead: number;
  /**
   * Resolves once a connection is this request's; rejects with a
   * PoolSaturatedError when the queue is full, or with the signal's reason
   * when it aborts first (the request then leaves the queue).
   */
  readonly lease: Promise<Lease>;
}

interface Waiter {
  grant(): void;
}

/**
 * A pool of `size` simulated connections with a bounded FIFO queue of
 * `maxQueue` waiting requests. One per ContentionService, so every test app
 * gets its own.
 */
export class ConnectionPool {
  private holding = 0;
  private readonly waiters: Waiter[] = [];

  constructor(
    readonly size: number,
    readonly maxQueue: number,
  ) {}

  /** Requests holding a connection. */
  get inUse(): number {
    return this.holding;
  }

  /** Requests waiting for one. */
  get waiting(): number {
    return this.waiters.length;
  }

  acquire(signal?: AbortSignal): Ticket {
    const requestsAhead = this.holding + this.waiters.length;
    if (signal?.aborted) return { requestsAhead, lease: Promise.reject(signal.reason) };
    if (this.holding < this.size) {
      this.holding++;
      return { requestsAhead, lease: Promise.resolve(this.newLease()) };
    }
    if (this.waiters.length >= this.maxQueue) {
      return { requestsAhead, lease: Promise.reject(new PoolSaturatedError(this.waiters.length, this.size)) };
    }
    const lease = new Promise<Lease>((resolve, reject) => {
      const onAbort = (): void => {
        const index = this.waiters.indexOf(waiter);
        if (index !== -1) this.waiters.splice(index, 1);
        reject(signal?.reason);
      };
      const waiter: Waiter = {
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve(this.newLease());
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
    return { requestsAhead, lease };
  }

  /** Hands the connection straight to the next waiter, if any, so `holding` only drops when nobody waits. */
  private newLease(): Lease {
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        const next = this.waiters.shift();
        if (next) next.grant();
        else this.holding--;
      },
    };
  }
}
