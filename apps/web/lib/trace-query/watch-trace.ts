import { setTimeout as sleep } from 'node:timers/promises';
import type { Trace } from '../trace-model/types';
import { liveSnapshot, type LiveSnapshot } from '../trace-view/live-snapshot';

/** What the live view of one trace hears, in order; `end` is always last. */
export type LiveEvent =
  | { readonly type: 'snapshot'; readonly snapshot: LiveSnapshot }
  /** The store could not be read this time; polling goes on until the deadline. */
  | { readonly type: 'problem'; readonly message: string }
  /**
   * `complete`: every expected service is in. `settled`: the trace is not
   * complete but will not grow (the last snapshot's `shortfall` says why).
   * `timeout`: the deadline passed while spans might still come.
   */
  | { readonly type: 'end'; readonly reason: 'complete' | 'settled' | 'timeout' };

/** Default `settleAfterMs`: longer than the servers' default 5 s export batch delay. */
export const DEFAULT_SETTLE_AFTER_MS = 6_000;
/** Default `settleFailedCallAfterMs`: a couple of reads, for a second batch of the caller's own spans. */
export const DEFAULT_SETTLE_FAILED_CALL_AFTER_MS = 1_000;

export interface WatchOptions {
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
 * Reads a trace again and again as its spans arrive (each service exports on
 * its own schedule), yielding a snapshot whenever it changed. It ends as
 * `complete` once every expected service is present and one more read found
 * nothing new (so a service's second export batch is not cut off); as
 * `settled` once the root span is in and nothing new arrived for
 * `settleAfterMs` (or `settleFailedCallAfterMs` when a call failed before it
 * reached the missing service); or as `timeout` at the deadline, with
 * whatever had arrived by then.
 */
export async function* watchTrace(
  read: (traceId: string) => Promise<Trace | null>,
  traceId: string,
  options: WatchOptions,
): AsyncGenerator<LiveEvent, void, undefined> {
  const now = options.now ?? Date.now;
  const settleAfterMs = options.settleAfterMs ?? DEFAULT_SETTLE_AFTER_MS;
  const settleFailedCallAfterMs = options.settleFailedCallAfterMs ?? DEFAULT_SETTLE_FAILED_CALL_AFTER_MS;
  const started = now();
  const deadline = started + options.timeoutMs;
  let lastSnapshot = '';
  let lastProblem = '';
  let changedAt = started;
  for (;;) {
    if (options.signal?.aborted) return;
    let snapshot: LiveSnapshot | undefined;
    try {
      snapshot = liveSnapshot(traceId, await read(traceId), options.expectedServices);
      lastProblem = '';
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (message !== lastProblem) {
        lastProblem = message;
        yield { type: 'problem', message };
      }
    }
    const at = now();
    if (snapshot !== undefined) {
      const serialized = JSON.stringify(snapshot);
      if (serialized !== lastSnapshot) {
        lastSnapshot = serialized;
        changedAt = at;
        yield { type: 'snapshot', snapshot };
      } else if (snapshot.complete) {
        yield { type: 'end', reason: 'complete' };
        return;
      } else if (snapshot.rootArrived && snapshot.shortfall !== null) {
        const quietFor = snapshot.shortfall.certain ? settleFailedCallAfterMs : settleAfterMs;
        if (at - changedAt >= quietFor) {
          yield { type: 'end', reason: 'settled' };
          return;
        }
      }
    }
    if (at >= deadline) {
      yield { type: 'end', reason: 'timeout' };
      return;
    }
    try {
      await sleep(options.intervalMs, undefined, { signal: options.signal });
    } catch {
      return; // aborted
    }
  }
}
