import { setTimeout as sleep } from 'node:timers/promises';
import type { Trace } from '../trace-model/types';
import { liveSnapshot, type LiveSnapshot } from '../trace-view/live-snapshot';

/** What the live view of one trace hears, in order; `end` is always last. */
export type LiveEvent =
  | { readonly type: 'snapshot'; readonly snapshot: LiveSnapshot }
  /** The store could not be read this time; polling goes on until the deadline. */
  | { readonly type: 'problem'; readonly message: string }
  | { readonly type: 'end'; readonly reason: 'complete' | 'timeout' };

export interface WatchOptions {
  /** Services whose spans make the trace complete. */
  readonly expectedServices: readonly string[];
  /** Pause between reads, in milliseconds. */
  readonly intervalMs: number;
  /** Give up (`end` with `timeout`) after this many milliseconds. */
  readonly timeoutMs: number;
  /** Stops the watch at once, e.g. when the browser goes away. */
  readonly signal?: AbortSignal;
  /** Milliseconds clock; default `Date.now`. */
  readonly now?: () => number;
}

/**
 * Reads a trace again and again as its spans arrive (each service exports on
 * its own schedule), yielding a snapshot whenever it changed. It ends as
 * `complete` once every expected service is present and one more read found
 * nothing new (so a service's second export batch is not cut off), or as
 * `timeout` at the deadline, with whatever had arrived by then.
 */
export async function* watchTrace(
  read: (traceId: string) => Promise<Trace | null>,
  traceId: string,
  options: WatchOptions,
): AsyncGenerator<LiveEvent, void, undefined> {
  const now = options.now ?? Date.now;
  const deadline = now() + options.timeoutMs;
  let lastSnapshot = '';
  let lastProblem = '';
  for (;;) {
    if (options.signal?.aborted) return;
    try {
      const snapshot = liveSnapshot(traceId, await read(traceId), options.expectedServices);
      const serialized = JSON.stringify(snapshot);
      lastProblem = '';
      if (serialized !== lastSnapshot) {
        lastSnapshot = serialized;
        yield { type: 'snapshot', snapshot };
      } else if (snapshot.complete) {
        yield { type: 'end', reason: 'complete' };
        return;
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (message !== lastProblem) {
        lastProblem = message;
        yield { type: 'problem', message };
      }
    }
    if (now() >= deadline) {
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
