import type { TraceLog } from '@tracelens/jaeger-query/model';

/** What the trace page knows about a trace's logs. Plain data: it crosses from the server page to the client view. */
export type TraceLogsState =
  | { readonly kind: 'ok'; readonly logs: readonly TraceLog[] }
  /** The store has no logs endpoint (404): it keeps no logs, which is not an error. */
  | { readonly kind: 'unsupported' }
  | { readonly kind: 'error'; readonly message: string };

export interface LogsBySpan {
  /** By span id, each list in time order. */
  readonly bySpanId: ReadonlyMap<string, readonly TraceLog[]>;
  /** Records with no span id or one that is not in the trace, in time order. */
  readonly traceLogs: readonly TraceLog[];
}

/**
 * Puts each record under its span when `spanIds` has it. Sorted by time here
 * as well, whatever order the store sent (ties keep that order), since the
 * offsets are read top to bottom.
 */
export function groupLogsBySpan(logs: readonly TraceLog[], spanIds: Iterable<string>): LogsBySpan {
  const known = new Set(spanIds);
  const sorted = logs.map((log, index) => ({ log, index })).sort((a, b) => a.log.timeUs - b.log.timeUs || a.index - b.index);
  const bySpanId = new Map<string, TraceLog[]>();
  const traceLogs: TraceLog[] = [];
  for (const { log } of sorted) {
    if (log.spanId !== null && known.has(log.spanId)) {
      const list = bySpanId.get(log.spanId);
      if (list === undefined) bySpanId.set(log.spanId, [log]);
      else list.push(log);
    } else {
      traceLogs.push(log);
    }
  }
  return { bySpanId, traceLogs };
}
