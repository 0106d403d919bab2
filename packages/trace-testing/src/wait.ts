import type { JaegerQueryClient } from '@tracelens/jaeger-query';
import type { Trace } from '@tracelens/jaeger-query/model';
import { waitForTrace as waitUntilComplete } from '@tracelens/jaeger-query/wait';
import { describeTrace } from './describe.js';
import { TraceAssertionError } from './errors.js';

export interface WaitOptions {
  /**
   * When the trace counts as complete: return true, or a string saying what is
   * still missing (shown if the deadline passes). Default: any span at all.
   */
  until?: (trace: Trace) => true | string;
  /** Give up after this long, in milliseconds. Default 15000. */
  timeoutMs?: number;
  /** Time between reads, in milliseconds. Default 200. */
  intervalMs?: number;
}

/** Until-condition: spans of all these services are present. */
export function hasServices(...wanted: string[]) {
  return (trace: Trace): true | string => {
    const present = new Set(trace.spans.map((s) => s.service));
    const missing = wanted.filter((s) => !present.has(s));
    return missing.length === 0 ? true : `no spans yet from ${missing.join(', ')}`;
  };
}

/**
 * Reads the trace through the query API until it satisfies `until` (spans
 * arrive from each service's exporter on its own schedule), with
 * @tracelens/jaeger-query's one wait loop. On timeout it throws a
 * TraceAssertionError saying what was missing and printing the spans that
 * did arrive.
 */
export async function waitForTrace(client: JaegerQueryClient, traceId: string, options: WaitOptions = {}): Promise<Trace> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const result = await waitUntilComplete((id) => client.getTrace(id), traceId, {
    ...(options.until === undefined ? {} : { until: options.until }),
    timeoutMs,
    ...(options.intervalMs === undefined ? {} : { intervalMs: options.intervalMs }),
  });
  if (result.complete) return result.trace;
  const seen = result.trace ? describeTrace(result.trace) : `no span of trace ${traceId} arrived`;
  const why = result.lastProblem ? `; the last read failed: ${result.lastProblem}` : '';
  throw new TraceAssertionError(`trace ${traceId} was not complete after ${timeoutMs} ms at ${client.baseUrl}: ${result.missing}${why}\n${seen}`);
}
