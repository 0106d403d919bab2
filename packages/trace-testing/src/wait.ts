import type { JaegerQueryClient } from './jaeger-client.js';
import { TraceAssertionError } from './errors.js';
import { describeTrace, toTraceView, type TraceView } from './trace-view.js';

export interface WaitOptions {
  /**
   * When the trace counts as complete: return true, or a string saying what is
   * still missing (shown if the deadline passes). Default: any span at all.
   */
  until?: (trace: TraceView) => true | string;
  /** Give up after this long. Default 15 s. */
  timeoutMs?: number;
  /** Time between reads. Default 200 ms. */
  intervalMs?: number;
}

/** Until-condition: spans of all these services are present. */
export function hasServices(...wanted: string[]) {
  return (trace: TraceView): true | string => {
    const present = new Set(trace.spans.map((s) => s.service));
    const missing = wanted.filter((s) => !present.has(s));
    return missing.length === 0 ? true : `no spans yet from ${missing.join(', ')}`;
  };
}

/**
 * Polls the query API until the trace satisfies `until`, since spans arrive
 * from each service's exporter on its own schedule. On timeout the error
 * says what was missing and prints the spans that did arrive.
 */
export async function waitForTrace(client: JaegerQueryClient, traceId: string, options: WaitOptions = {}): Promise<TraceView> {
  const until = options.until ?? (() => true);
  const timeoutMs = options.timeoutMs ?? 15_000;
  const intervalMs = options.intervalMs ?? 200;
  const deadline = Date.now() + timeoutMs;
  let last: TraceView | undefined;
  let verdict: true | string = 'the trace has no spans yet';
  let readError: unknown;
  for (;;) {
    try {
      const trace = await client.getTrace(traceId);
      readError = undefined;
      if (trace) {
        last = toTraceView(trace);
        verdict = until(last);
        if (verdict === true) return last;
      }
    } catch (e) {
      readError = e;
    }
    if (Date.now() >= deadline) break;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  const seen = last ? describeTrace(last) : `no span of trace ${traceId} arrived`;
  const why = readError ? `; the last read failed: ${(readError as Error).message}` : '';
  throw new TraceAssertionError(
    `trace ${traceId} was not complete after ${timeoutMs} ms at ${client.baseUrl}: ${verdict}${why}\n${seen}`,
  );
}
