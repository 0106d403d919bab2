import type { Trace } from './model.js';

/**
 * Waiting for a trace to be complete. Each service exports its spans on its
 * own schedule, so a trace arrives in pieces: this reads it again and again
 * until a judge says it is complete, it has settled (it will not grow), or a
 * deadline passes. One loop for every reader: the web's live waterfall,
 * trace-testing's assertions, the benchmarks.
 */

/** What the judge says about one read of the trace (null: no span of it yet). */
export interface Verdict {
  readonly complete: boolean;
  /** What is still missing, in words (shown when the deadline passes); '' when complete. */
  readonly missing: string;
  /**
   * When the trace is incomplete but nothing more can come: after this many
   * milliseconds without a new span it has settled. null: wait for the deadline.
   */
  readonly settleAfterMs: number | null;
}

/** What a watch hears, in order; `end` is always last, unless the watch was aborted. */
export type WatchEvent<V extends Verdict> =
  /** The trace changed (or was read for the first time), with what the judge says of it. */
  | { readonly type: 'change'; readonly trace: Trace | null; readonly verdict: V }
  /** The store could not be read this time (each distinct message once); reading goes on until the deadline. */
  | { readonly type: 'problem'; readonly message: string }
  /**
   * `complete`: the judge said so. `settled`: incomplete, but nothing new for
   * the verdict's `settleAfterMs`. `timeout`: the deadline passed while spans
   * might still come. With the last trace read and its verdict (null when no
   * read ever succeeded), and the error of the last read if it failed.
   */
  | {
      readonly type: 'end';
      readonly reason: 'complete' | 'settled' | 'timeout';
      readonly trace: Trace | null;
      readonly verdict: V | null;
      readonly problem: string | null;
    };

export interface WatchOptions<V extends Verdict> {
  /** Says whether the trace is complete, and when an incomplete one has settled. */
  readonly judge: (trace: Trace | null) => V;
  /** Give up (`end` with `timeout`) after this many milliseconds. */
  readonly timeoutMs: number;
  /** Pause between reads, in milliseconds. */
  readonly intervalMs: number;
  /**
   * End as `complete` only once one more read found nothing new, so that a
   * service's second export batch is not cut off. Default false: at once.
   */
  readonly confirmComplete?: boolean;
  /** Stops the watch at once (no `end` event), e.g. when the browser went away. */
  readonly signal?: AbortSignal;
  /** Milliseconds clock; default `Date.now`. */
  readonly now?: () => number;
}

/** A read of the trace: the trace, or null while the store has none of its spans. */
export type ReadTrace = (traceId: string) => Promise<Trace | null>;

/**
 * What tells two reads apart: the spans (an id, and the times the store's
 * adjusters may shift when a new span arrives) and the trace's warnings. In
 * no particular order: Jaeger's dedupe adjuster rebuilds the span list from
 * a Go map, so the same trace comes back in another order on each read.
 */
function fingerprint(trace: Trace | null): string {
  if (trace === null) return '';
  const spans = trace.spans.map((s) => `${s.spanId}/${s.startUs}/${s.durationUs}/${s.error ? 1 : 0}`).sort();
  return JSON.stringify([[...trace.warnings].sort(), spans]);
}

/** Reads the trace until its judge says it is complete, it has settled, or the deadline passes; see WatchEvent. */
export async function* watchTrace<V extends Verdict>(
  read: ReadTrace,
  traceId: string,
  options: WatchOptions<V>,
): AsyncGenerator<WatchEvent<V>, void, undefined> {
  const now = options.now ?? Date.now;
  const started = now();
  const deadline = started + options.timeoutMs;
  let seen: string | undefined;
  let changedAt = started;
  let lastProblem = '';
  let last: { trace: Trace | null; verdict: V } | null = null;
  for (;;) {
    if (options.signal?.aborted) return;
    let trace: Trace | null | undefined;
    try {
      trace = await read(traceId);
      lastProblem = '';
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (message !== lastProblem) {
        lastProblem = message;
        yield { type: 'problem', message };
      }
    }
    if (options.signal?.aborted) return;
    const at = now();
    if (trace !== undefined) {
      const verdict = options.judge(trace);
      last = { trace, verdict };
      const print = fingerprint(trace);
      const changed = print !== seen;
      if (changed) {
        seen = print;
        changedAt = at;
        yield { type: 'change', trace, verdict };
      }
      if (verdict.complete && (!options.confirmComplete || !changed)) {
        yield { type: 'end', reason: 'complete', trace, verdict, problem: null };
        return;
      }
      if (!verdict.complete && !changed && verdict.settleAfterMs !== null && at - changedAt >= verdict.settleAfterMs) {
        yield { type: 'end', reason: 'settled', trace, verdict, problem: null };
        return;
      }
    }
    if (at >= deadline) {
      yield { type: 'end', reason: 'timeout', trace: last?.trace ?? null, verdict: last?.verdict ?? null, problem: lastProblem || null };
      return;
    }
    if (!(await pause(options.intervalMs, options.signal))) return;
  }
}

/** Resolves true after `ms`, or false as soon as `signal` aborts. A timer, not node:timers, so it also runs in the browser. */
function pause(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) {
      resolve(false);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export interface WaitOptions {
  /** When the trace counts as complete: true, or what is still missing. Default: any span at all. */
  readonly until?: (trace: Trace) => true | string;
  /** Give up after this long, in milliseconds. Default 15000. */
  readonly timeoutMs?: number;
  /** Time between reads, in milliseconds. Default 200. */
  readonly intervalMs?: number;
  /** Called with the trace each time it changed, e.g. to time when each service's first span came. */
  readonly onChange?: (trace: Trace | null) => void;
  readonly signal?: AbortSignal;
  readonly now?: () => number;
}

/** How a wait ended: complete, or not, with what was missing and the last read problem. */
export type WaitResult =
  | { readonly complete: true; readonly trace: Trace }
  | {
      readonly complete: false;
      /** The last trace read; null when no span of it arrived. */
      readonly trace: Trace | null;
      readonly missing: string;
      /** The last read's error message, when the last read failed. */
      readonly lastProblem: string | null;
    };

/**
 * Waits until `until(trace)` holds or the deadline passes, with the same loop
 * as watchTrace; never throws for a read that fails (it is retried until the
 * deadline). The caller decides what an incomplete trace means.
 */
export async function waitForTrace(read: ReadTrace, traceId: string, options: WaitOptions = {}): Promise<WaitResult> {
  const until = options.until ?? (() => true);
  for await (const event of watchTrace(read, traceId, {
    judge: (trace) => {
      const answer = trace === null ? 'the trace has no spans yet' : until(trace);
      return { complete: answer === true, missing: answer === true ? '' : answer, settleAfterMs: null };
    },
    timeoutMs: options.timeoutMs ?? 15_000,
    intervalMs: options.intervalMs ?? 200,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.now === undefined ? {} : { now: options.now }),
  })) {
    if (event.type === 'change') {
      options.onChange?.(event.trace);
    } else if (event.type === 'end') {
      if (event.reason === 'complete' && event.trace !== null) return { complete: true, trace: event.trace };
      return { complete: false, trace: event.trace, missing: event.verdict?.missing ?? 'the trace has no spans yet', lastProblem: event.problem };
    }
  }
  return { complete: false, trace: null, missing: 'the wait was aborted', lastProblem: null };
}
