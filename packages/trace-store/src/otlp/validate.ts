import type { DecodedTraces, LogRecord, Rejections, ResourceLogs, ResourceSpans, Span } from './model.js';

const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;
const ZERO_TRACE_ID = '0'.repeat(32);
const ZERO_SPAN_ID = '0'.repeat(16);
/** Past this, microseconds stop being exact in a JavaScript number (year 2255). */
const MAX_NANOS = BigInt(Number.MAX_SAFE_INTEGER) * 1000n;

/**
 * Why a span cannot be stored, or undefined when it can. OTLP requires
 * 16-byte trace ids and 8-byte span ids, neither all zeros; a span also needs
 * a start time. An end before the start is not refused: sanitize.ts moves it
 * to just after the start, as Jaeger does.
 */
export function spanProblem(span: Span): string | undefined {
  if (!TRACE_ID.test(span.traceId) || span.traceId === ZERO_TRACE_ID) {
    return `invalid traceId ${JSON.stringify(span.traceId)}: must be 32 hex digits, not all zero`;
  }
  if (!SPAN_ID.test(span.spanId) || span.spanId === ZERO_SPAN_ID) {
    return `invalid spanId ${JSON.stringify(span.spanId)}: must be 16 hex digits, not all zero`;
  }
  if (span.parentSpanId !== '' && !SPAN_ID.test(span.parentSpanId)) {
    return `invalid parentSpanId ${JSON.stringify(span.parentSpanId)}: must be empty or 16 hex digits`;
  }
  for (const link of span.links) {
    if (!TRACE_ID.test(link.traceId) || !SPAN_ID.test(link.spanId)) {
      return `invalid link to ${JSON.stringify(link.traceId)}/${JSON.stringify(link.spanId)}: ids must be 32 and 16 hex digits`;
    }
  }
  const start = BigInt(span.startTimeUnixNano);
  const end = BigInt(span.endTimeUnixNano);
  if (start === 0n) return 'missing startTimeUnixNano';
  if (end > MAX_NANOS || start >= MAX_NANOS) return 'timestamp out of range';
  return undefined;
}

/**
 * Why a log record cannot be stored, or undefined when it can. Unlike a span,
 * a log record need not belong to a trace: an empty id means "no trace" (or
 * no span), but an id that is present follows the span rules. No timestamp
 * is required: the store falls back to the observed time, then to the time
 * the record was received.
 */
export function logRecordProblem(record: LogRecord): string | undefined {
  if (record.traceId !== '' && (!TRACE_ID.test(record.traceId) || record.traceId === ZERO_TRACE_ID)) {
    return `invalid traceId ${JSON.stringify(record.traceId)}: must be empty or 32 hex digits, not all zero`;
  }
  if (record.spanId !== '' && (!SPAN_ID.test(record.spanId) || record.spanId === ZERO_SPAN_ID)) {
    return `invalid spanId ${JSON.stringify(record.spanId)}: must be empty or 16 hex digits, not all zero`;
  }
  if (BigInt(record.timeUnixNano) > MAX_NANOS || BigInt(record.observedTimeUnixNano) > MAX_NANOS) return 'timestamp out of range';
  return undefined;
}

/** Removes (in place) the items with a problem, counting them by distinct reason. */
function reject<T>(lists: T[][], problemOf: (item: T) => string | undefined, noun: [one: string, many: string]): Rejections & { lists: T[][] } {
  let rejected = 0;
  const counts = new Map<string, number>();
  const kept = lists.map((items) =>
    items.filter((item) => {
      const problem = problemOf(item);
      if (problem === undefined) return true;
      rejected++;
      counts.set(problem, (counts.get(problem) ?? 0) + 1);
      return false;
    }),
  );
  const reasons = [...counts].map(([reason, n]) => `${n} ${n > 1 ? noun[1] : noun[0]}: ${reason}`);
  return { rejected, reasons, lists: kept };
}

/** Drops the spans that cannot be stored and says how many and why, for partialSuccess. */
export function validateTraces(resourceSpans: ResourceSpans[]): DecodedTraces {
  const scopes = resourceSpans.flatMap((rs) => rs.scopeSpans);
  // An all-zero parent id is no parent (OTLP's "empty" id), as Jaeger reads it.
  for (const ss of scopes) for (const span of ss.spans) if (span.parentSpanId === ZERO_SPAN_ID) span.parentSpanId = '';
  const { rejected, reasons, lists } = reject(scopes.map((ss) => ss.spans), spanProblem, ['span', 'spans']);
  scopes.forEach((ss, i) => (ss.spans = lists[i] ?? []));
  return { resourceSpans, rejectedSpans: rejected, rejectReasons: reasons };
}

/** Drops the log records that cannot be stored and says how many and why, for partialSuccess. */
export function validateLogs(resourceLogs: ResourceLogs[]): { resourceLogs: ResourceLogs[] } & Rejections {
  const scopes = resourceLogs.flatMap((rl) => rl.scopeLogs);
  const { rejected, reasons, lists } = reject(scopes.map((sl) => sl.logRecords), logRecordProblem, ['log record', 'log records']);
  scopes.forEach((sl, i) => (sl.logRecords = lists[i] ?? []));
  return { resourceLogs, rejected, reasons };
}
