import type { ResourceLogs, ResourceSpans } from '../otlp/model.js';
import type { TraceStore } from './store.js';

/** The queue holds as many spans as it may; the sender should retry later (503 + Retry-After). */
export class QueueFullError extends Error {
  override readonly name = 'QueueFullError';
}

/** One export request: spans or log records. */
export type ExportRequest = { spans: ResourceSpans[] } | { logs: ResourceLogs[] };

interface Pending {
  request: ExportRequest;
  items: number;
  resolve: () => void;
  reject: (e: unknown) => void;
}

/**
 * Group commit: export requests that arrive while a write is pending share
 * one transaction (one fsync), and each request is answered only after the
 * transaction holding its spans has committed. The queue is bounded in
 * items (spans plus log records); past the bound new requests are refused at
 * once, so memory stays bounded under overload and nothing refused was ever
 * acknowledged.
 */
export class WriteQueue {
  private pending: Pending[] = [];
  private pendingItems = 0;
  private scheduled = false;
  private idle: (() => void)[] = [];

  constructor(
    private readonly store: TraceStore,
    private readonly maxPendingItems: number,
    /** Microseconds since the epoch; stamps each commit for age-based retention. */
    private readonly nowUs: () => number,
    /** Told about every committed batch of spans, before the exporters are answered (the tail sampler). */
    private readonly onCommitted: (spans: readonly ResourceSpans[][], committedUs: number) => void = () => {},
  ) {}

  /** Resolves once the request's `items` (spans or log records) are committed. */
  write(request: ExportRequest, items: number): Promise<void> {
    if (this.pendingItems > 0 && this.pendingItems + items > this.maxPendingItems) {
      return Promise.reject(new QueueFullError(`write queue is full (${this.pendingItems} spans and log records waiting)`));
    }
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ request, items, resolve, reject });
      this.pendingItems += items;
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
    this.pendingItems = 0;
    this.scheduled = false;
    const spans: ResourceSpans[][] = [];
    const logs: ResourceLogs[][] = [];
    for (const { request } of batch) {
      if ('spans' in request) spans.push(request.spans);
      else logs.push(request.logs);
    }
    try {
      const now = this.nowUs();
      this.store.write({ spans, logs }, now);
      // Before answering, so a sampler knows of every acknowledged span.
      // onCommitted must not throw: the spans are committed either way.
      if (spans.length > 0) this.onCommitted(spans, now);
      for (const p of batch) p.resolve();
    } catch (e) {
      for (const p of batch) p.reject(e);
    }
    const waiting = this.idle;
    this.idle = [];
    for (const resolve of waiting) resolve();
  }
}
