import 'server-only';
import type { Trace } from '@tracelens/jaeger-query/model';
import { watchTrace } from '@tracelens/jaeger-query/wait';
import type { LiveEvent, LiveSnapshot } from '@/lib/shared/api';
import { liveSnapshot } from '@/lib/shared/trace-model/live-snapshot';

/** Default `settleAfterMs`: longer than the servers' default 5 s export batch delay. */
export const DEFAULT_SETTLE_AFTER_MS = 6_000;
/** Default `settleFailedCallAfterMs`: a couple of reads, for a second batch of the caller's own spans. */
export const DEFAULT_SETTLE_FAILED_CALL_AFTER_MS = 1_000;

export interface LiveWatchOptions {
  /** Services whose spans make the trace complete. */
  readonly expectedServices: readonly string[];
  /** Pause between reads, in milliseconds. */
  readonly intervalMs: number;
  /** Give up (`end` with `timeout`) after this many milliseconds. */
  readonly timeoutMs: number;
  /**
   * Once the root span is in, a trace that stays incomplete and unchanged
   * this long has settled (`end` with `settled`), in milliseconds. Default
   * DEFAULT_SETTLE_AFTER_MS.
   */
  readonly settleAfterMs?: number;
  /**
   * The same, when a call failed before it reached the missing service
   * (`shortfall.certain`): nothing of that service can come, so the wait is
   * short. Default DEFAULT_SETTLE_FAILED_CALL_AFTER_MS.
   */
  readonly settleFailedCallAfterMs?: number;
  /** Stops the watch at once, e.g. when the browser goes away. */
  readonly signal?: AbortSignal;
  /** Milliseconds clock; default `Date.now`. */
  readonly now?: () => number;
}

/**
 * The live view of one click's trace (app/api/traces/[traceId]/live), on
 * jaeger-query's one wait loop: a snapshot whenever the trace changed; `end`
 * as `complete` once every expected service is present and one more read
 * found nothing new (so a service's second export batch is not cut off), as
 * `settled` once the root span is in and nothing new arrived for
 * `settleAfterMs` (or `settleFailedCallAfterMs` when a call failed before it
 * reached the missing service), or as `timeout` at the deadline.
 */
export async function* watchLiveTrace(
  read: (traceId: string) => Promise<Trace | null>,
  traceId: string,
  options: LiveWatchOptions,
): AsyncGenerator<Exclude<LiveEvent, { type: 'links' }>, void, undefined> {
  const settleAfterMs = options.settleAfterMs ?? DEFAULT_SETTLE_AFTER_MS;
  const settleFailedCallAfterMs = options.settleFailedCallAfterMs ?? DEFAULT_SETTLE_FAILED_CALL_AFTER_MS;
  const judge = (trace: Trace | null) => {
    const snapshot: LiveSnapshot = liveSnapshot(traceId, trace, options.expectedServices);
    const settles = snapshot.rootArrived && snapshot.shortfall !== null;
    return {
      complete: snapshot.complete,
      missing: snapshot.shortfall?.explanation ?? '',
      settleAfterMs: !settles ? null : snapshot.shortfall?.certain ? settleFailedCallAfterMs : settleAfterMs,
      snapshot,
    };
  };
  for await (const event of watchTrace(read, traceId, {
    judge,
    intervalMs: options.intervalMs,
    timeoutMs: options.timeoutMs,
    confirmComplete: true,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.now === undefined ? {} : { now: options.now }),
  })) {
    if (event.type === 'change') yield { type: 'snapshot', snapshot: event.verdict.snapshot };
    else if (event.type === 'problem') yield event;
    else yield { type: 'end', reason: event.reason };
  }
}
