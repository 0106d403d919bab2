import type { StoreThreads } from '../threads/store-threads.js';
import type { Encoding } from './prepare.js';
import type { Prepared, PreparedSpans } from './prepared.js';

/** More is waiting than the store may hold; the sender should retry later (503 + Retry-After). */
export class QueueFullError extends Error {
  override readonly name = 'QueueFullError';
}

/** What became of one export request, for its answer. */
export interface IngestOutcome {
  /** Spans or log records stored. */
  accepted: number;
  /** Dropped at the edge (bad ids or timestamps), and why, one line per distinct reason. */
  rejected: number;
  reasons: string[];
}

/** A trace's part of a committed export, as the tail sampler follows traces. */
export interface CommittedTrace {
  /** 32 lowercase hex digits. */
  traceId: string;
  /** Earliest span start and latest span end, nanoseconds since the epoch. */
  minStartNs: bigint;
  maxEndNs: bigint;
  /** A span has status ERROR. */
  error: boolean;
  spans: number;
}

/** Sees every committed export's traces before its sender is answered; must not throw. */
export type CommitListener = (traces: readonly CommittedTrace[], committedUs: number) => void;

/** The traces of a prepared export, before its buffers go to the writer thread. */
export function committedTraces(prepared: PreparedSpans): CommittedTrace[] {
  const c = prepared.chunks;
  const out: CommittedTrace[] = [];
  for (let i = 0; i < c.count; i++) {
    out.push({
      traceId: Buffer.from(c.traceIds.buffer, c.traceIds.byteOffset + 16 * i, 16).toString('hex'),
      minStartNs: BigInt.asUintN(64, c.times[2 * i] as bigint),
      maxEndNs: BigInt.asUintN(64, c.times[2 * i + 1] as bigint),
      error: c.errors[i] === 1,
      spans: c.spans[i] as number,
    });
  }
  return out;
}

export interface IngestLimits {
  /** Spans and log records decoded but not yet committed; past it new exports are refused. */
  maxPendingItems: number;
  /** Bytes of request bodies waiting to be decoded; past it new exports are refused before decoding. */
  maxPendingBytes: number;
}

/**
 * An export's way in, on the main thread: decoded on a decoding thread,
 * then committed by the writer thread (group commit), answered only once on
 * disk. Bounded on both legs, so memory stays bounded under overload and
 * nothing refused was ever acknowledged: bodies waiting to be decoded by
 * their bytes, decoded exports waiting to be committed by their spans and
 * log records (the first one is always let through, however large).
 */
export class Ingest {
  private pendingItems = 0;
  private pendingBytes = 0;
  private inFlight = 0;
  private idle: (() => void)[] = [];

  constructor(
    private readonly threads: StoreThreads,
    private readonly limits: IngestLimits,
    /** Microseconds since the epoch; dates each export for age-based retention. */
    private readonly nowUs: () => number,
    private readonly onCommitted?: CommitListener,
  ) {}

  /** Stores an export request; rejects with MalformedRequestError (400) or QueueFullError (503), or the store's error when it cannot commit. */
  async submit(signal: 'spans' | 'logs', encoding: Encoding, body: Uint8Array): Promise<IngestOutcome> {
    if (this.pendingBytes > 0 && this.pendingBytes + body.byteLength > this.limits.maxPendingBytes) {
      throw new QueueFullError(`write queue is full (${this.pendingBytes} bytes of exports waiting to be decoded)`);
    }
    this.inFlight++;
    try {
      const size = body.byteLength;
      this.pendingBytes += size;
      let prepared: Prepared;
      try {
        prepared = await this.threads.decode(signal, encoding, body);
      } finally {
        this.pendingBytes -= size;
      }
      const outcome: IngestOutcome = { accepted: prepared.accepted, rejected: prepared.rejected, reasons: prepared.reasons };
      if (prepared.accepted === 0) return outcome;
      if (this.pendingItems > 0 && this.pendingItems + prepared.accepted > this.limits.maxPendingItems) {
        throw new QueueFullError(`write queue is full (${this.pendingItems} spans and log records waiting)`);
      }
      const traces = this.onCommitted && prepared.signal === 'spans' ? committedTraces(prepared) : undefined;
      this.pendingItems += prepared.accepted;
      try {
        const receivedUs = this.nowUs();
        await this.threads.write(prepared, receivedUs);
        // Before answering, so the tail sampler knows of every acknowledged span.
        if (traces) this.onCommitted?.(traces, receivedUs);
      } finally {
        this.pendingItems -= outcome.accepted;
      }
      return outcome;
    } finally {
      this.inFlight--;
      if (this.inFlight === 0) for (const resolve of this.idle.splice(0)) resolve();
    }
  }

  /** Resolves once every export accepted so far is committed or failed. */
  drained(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }
}
