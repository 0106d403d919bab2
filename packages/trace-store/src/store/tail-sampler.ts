import type { CommittedTrace } from '../ingest/ingest.js';
import type { Log } from '../log.js';

/** Where the sampler's drops go: the writer thread, which deletes the traces' chunks and says how many spans that was. */
export interface TraceDeleter {
  deleteTraces(traceIds: string[]): Promise<number>;
}

export interface TailSamplingPolicy {
  /** How long after a trace's last span arrived its decision waits for late spans. Microseconds. */
  waitUs: number;
  /** Traces whose end-to-end duration (latest end minus earliest start) is at least this are kept. Microseconds. */
  latencyUs: number;
  /** Fraction (0..1) of the traces neither errored nor slow that is kept, chosen by trace id. */
  ratio: number;
  /** Most traces awaiting a decision; past it the least recently updated one is decided early. */
  maxPending: number;
  /** Most decisions remembered for late spans; past it the oldest are forgotten. */
  maxDecisions: number;
}

export type KeepReason = 'error' | 'latency' | 'ratio';

/** What `GET /api/tail-sampling` answers while sampling is on. */
export interface TailSamplingStats {
  enabled: true;
  /** Traces kept, by the first rule that kept them. */
  kept: Record<KeepReason, number>;
  /** Traces dropped. */
  dropped: number;
  /** Spans deleted because their trace was dropped, late spans included. */
  droppedSpans: number;
  /** Traces awaiting a decision. */
  pending: number;
  /** Decisions taken before the wait was over because `maxPending` was reached. */
  decidedEarly: number;
}

interface PendingTrace {
  minStartNs: bigint;
  maxEndNs: bigint;
  error: boolean;
  spans: number;
  /** When its last span was committed, microseconds since the epoch. */
  lastArrivalUs: number;
}

/** Traces per delete transaction, and roughly how many spans; small so a drop never stalls ingest. */
const DELETE_CHUNK_TRACES = 200;
const DELETE_CHUNK_SPANS = 5000;

/** How many values the rightmost 56 bits of a trace id (W3C's random part) can take. */
const RANDOM_SPACE = 2 ** 56;

/**
 * True when the ratio keeps this trace: the trace id's rightmost 56 bits
 * (random in W3C trace context level 2 and in OTel's consistent sampling)
 * below ratio × 2^56. Every collector with the same ratio agrees, and a
 * trace kept at some ratio is kept at every higher one.
 */
export function ratioKeeps(traceId: string, ratio: number): boolean {
  if (ratio >= 1) return true;
  if (ratio <= 0) return false;
  const random = BigInt(`0x${traceId.slice(-14)}`);
  return random < BigInt(Math.floor(ratio * RANDOM_SPACE));
}

/**
 * Tail sampling inside the store. Spans are stored (and acknowledged) on
 * arrival, so nothing acknowledged depends on memory; the sampler watches
 * committed spans, decides each trace once it has been quiet for `waitUs`,
 * and deletes the dropped ones in small transactions off the ingest path.
 * A late span of a decided trace follows the decision: for a dropped trace
 * it is deleted too. Memory is bounded on both sides: pending traces by
 * `maxPending`, remembered decisions by `maxDecisions`.
 *
 * After a restart the pending traces are forgotten and stay stored: it
 * fails open, keeping more rather than losing acknowledged data silently.
 */
export class TailSampler {
  /** Insertion order is last-arrival order (a trace is re-inserted on each span), so the head is due first. */
  private readonly pending = new Map<string, PendingTrace>();
  /** true = kept. Insertion-ordered, so the oldest are forgotten first. */
  private readonly decisions = new Map<string, boolean>();
  /** Dropped traces whose spans are still to be deleted, with how many spans they were known to have. */
  private readonly toDelete = new Map<string, number>();
  private readonly counts = { error: 0, latency: 0, ratio: 0, dropped: 0, droppedSpans: 0, decidedEarly: 0 };
  /** The deletes running, if any: at most one at a time. */
  private deleting: Promise<void> | undefined;
  private closed = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: TraceDeleter,
    private readonly policy: TailSamplingPolicy,
    /** Microseconds since the epoch. */
    private readonly nowUs: () => number,
    private readonly log: Log,
  ) {}

  /** Checks for due decisions every `intervalMs` (real time) until close. */
  start(intervalMs: number): void {
    this.timer = setInterval(() => this.tick(), intervalMs);
    this.timer.unref();
  }

  /**
   * Told about the traces of an export just committed, before its sender is
   * answered. Never throws: the spans are stored whatever happens here.
   */
  observe(traces: readonly CommittedTrace[], committedUs: number): void {
    try {
      for (const t of traces) {
        const decision = this.decisions.get(t.traceId);
        if (decision === false) this.scheduleDelete(t.traceId, t.spans);
        if (decision !== undefined) continue;
        const known = this.pending.get(t.traceId);
        if (known) {
          this.pending.delete(t.traceId);
          if (t.minStartNs < known.minStartNs) known.minStartNs = t.minStartNs;
          if (t.maxEndNs > known.maxEndNs) known.maxEndNs = t.maxEndNs;
          known.error ||= t.error;
          known.spans += t.spans;
          known.lastArrivalUs = committedUs;
          this.pending.set(t.traceId, known);
        } else {
          if (this.pending.size >= this.policy.maxPending) this.decideOldestEarly();
          this.pending.set(t.traceId, { minStartNs: t.minStartNs, maxEndNs: t.maxEndNs, error: t.error, spans: t.spans, lastArrivalUs: committedUs });
        }
      }
    } catch (e) {
      this.log.error('tail sampling could not observe spans', { error: String(e) });
    }
  }

  /** Decides every trace whose wait is over, then deletes what was dropped. */
  tick(): void {
    if (this.closed) return;
    try {
      const dueBefore = this.nowUs() - this.policy.waitUs;
      for (const [traceId, trace] of this.pending) {
        if (trace.lastArrivalUs > dueBefore) break;
        this.decide(traceId, trace);
      }
    } catch (e) {
      this.log.error('tail sampling decision failed', { error: String(e) });
    }
    this.deleteDropped();
  }

  stats(): TailSamplingStats {
    const c = this.counts;
    return {
      enabled: true,
      kept: { error: c.error, latency: c.latency, ratio: c.ratio },
      dropped: c.dropped,
      droppedSpans: c.droppedSpans,
      pending: this.pending.size,
      decidedEarly: c.decidedEarly,
    };
  }

  /**
   * Stops deciding and finishes deleting what was already dropped (so a
   * drop is never half done across a restart). Pending traces stay stored.
   */
  async close(): Promise<TailSamplingStats> {
    this.closed = true;
    clearInterval(this.timer);
    await this.deleting;
    try {
      while (this.toDelete.size > 0) await this.deleteChunk();
    } catch (e) {
      this.log.error('tail sampling could not delete dropped traces', { error: String(e) });
    }
    return this.stats();
  }

  private decideOldestEarly(): void {
    const oldest = this.pending.entries().next();
    if (oldest.done) return;
    this.counts.decidedEarly++;
    this.decide(oldest.value[0], oldest.value[1]);
  }

  private decide(traceId: string, trace: PendingTrace): void {
    this.pending.delete(traceId);
    const durationUs = Number((trace.maxEndNs - trace.minStartNs) / 1000n);
    const reason: KeepReason | undefined = trace.error
      ? 'error'
      : durationUs >= this.policy.latencyUs
        ? 'latency'
        : ratioKeeps(traceId, this.policy.ratio)
          ? 'ratio'
          : undefined;
    if (reason) this.counts[reason]++;
    else {
      this.counts.dropped++;
      this.scheduleDelete(traceId, trace.spans);
    }
    this.decisions.delete(traceId);
    this.decisions.set(traceId, reason !== undefined);
    if (this.decisions.size > this.policy.maxDecisions) {
      const oldest = this.decisions.keys().next();
      if (!oldest.done) this.decisions.delete(oldest.value);
    }
  }

  private scheduleDelete(traceId: string, spans: number): void {
    this.toDelete.set(traceId, (this.toDelete.get(traceId) ?? 0) + spans);
  }

  /** Deletes dropped traces a chunk per transaction, one transaction at a time, so ingest commits in between. */
  private deleteDropped(): void {
    if (this.deleting || this.toDelete.size === 0) return;
    this.deleting = (async () => {
      try {
        while (!this.closed && this.toDelete.size > 0) await this.deleteChunk();
      } catch (e) {
        // What is left in toDelete is tried again on the next tick.
        this.log.error('tail sampling could not delete dropped traces', { error: String(e) });
      } finally {
        this.deleting = undefined;
      }
    })();
  }

  private async deleteChunk(): Promise<number> {
    const chunk: [traceId: string, spans: number][] = [];
    let spans = 0;
    for (const [traceId, n] of this.toDelete) {
      if (chunk.length > 0 && (chunk.length >= DELETE_CHUNK_TRACES || spans + n > DELETE_CHUNK_SPANS)) break;
      chunk.push([traceId, n]);
      spans += n;
    }
    // Taken off the list before the delete runs: a late span observed meanwhile is listed again, not lost.
    for (const [traceId] of chunk) this.toDelete.delete(traceId);
    try {
      this.counts.droppedSpans += await this.store.deleteTraces(chunk.map(([traceId]) => traceId));
    } catch (e) {
      for (const [traceId, n] of chunk) this.scheduleDelete(traceId, n);
      throw e;
    }
    return chunk.length;
  }
}
