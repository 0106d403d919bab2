import type { ResourceSpans } from '../otlp/model.js';
import type { TraceStore } from './store.js';

/** The queue holds as many spans as it may; the sender should retry later (503 + Retry-After). */
export class QueueFullError extends Error {
  override readonly name = 'QueueFullError';
}

interface Pending {
  request: ResourceSpans[];
  spans: number;
  resolve: () => void;
  reject: (e: unknown) => void;
}

/**
 * Group commit: export requests that arrive while a write is pending share
 * one transaction (one fsync), and each request is answered only after the
 * transaction holding its spans has committed. The queue is bounded in
 * spans; past the bound new requests are refused at once, so memory stays
 * bounded under overload and nothing refused was ever acknowledged.
 */
export class WriteQueue {
  private pending: Pending[] = [];
  private pendingSpans = 0;
  private scheduled = false;
  private idle: (() => void)[] = [];

  constructor(
    private readonly store: TraceStore,
    private readonly maxPendingSpans: number,
    /** Microseconds since the epoch; stamps each commit for age-based retention. */
    private readonly nowUs: () => number,
  ) {}

  write(request: ResourceSpans[], spans: number): Promise<void> {
    if (this.pendingSpans > 0 && this.pendingSpans + spans > this.maxPendingSpans) {
      return Promise.reject(new QueueFullError(`write queue is full (${this.pendingSpans} spans waiting)`));
    }
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ request, spans, resolve, reject });
      this.pendingSpans += spans;
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Resolves once every accepted request has been committed or failed. */
  drained(): Promise<void> {
    if (!this.scheduled) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private flush(): void {
    const batch = this.pending;
    this.pending = [];
    this.pendingSpans = 0;
    this.scheduled = false;
    try {
      this.store.insert(batch.map((p) => p.request), this.nowUs());
      for (const p of batch) p.resolve();
    } catch (e) {
      for (const p of batch) p.reject(e);
    }
    const waiting = this.idle;
    this.idle = [];
    for (const resolve of waiting) resolve();
  }
}
