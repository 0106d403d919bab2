import type { LogRecord, Rejections, ResourceLogs } from './model.js';
import { allZero, compareU64, hexOf, toLong, type PbResourceSpans, type PbSpan } from './pb.js';

const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;
const ZERO_TRACE_ID = '0'.repeat(32);
const ZERO_SPAN_ID = '0'.repeat(16);
/** Past this, microseconds stop being exact in a JavaScript number (year 2255). */
const MAX_NANOS = BigInt(Number.MAX_SAFE_INTEGER) * 1000n;

/** Past this, microseconds stop being exact in a JavaScript number (year 2255). */
const MAX_NANOS_LONG = toLong(MAX_NANOS);

/**
 * Why a span cannot be stored, or undefined when it can. OTLP requires
 * 16-byte trace ids and 8-byte span ids, neither all zeros; a span also needs
 * a start time. An end before the start is not refused: sanitize.ts moves it
 * to just after the start, as Jaeger does. Works on the span as protobufjs
 * decodes it (pb.ts), whichever encoding it came in; id lengths other than
 * 0 and the right one were refused by the decoders already.
 */
export function spanProblem(span: PbSpan): string | undefined {
  if (span.traceId.length !== 16 || allZero(span.traceId)) {
    return `invalid traceId ${JSON.stringify(hexOf(span.traceId))}: must be 32 hex digits, not all zero`;
  }
  if (span.spanId.length !== 8 || allZero(span.spanId)) {
    return `invalid spanId ${JSON.stringify(hexOf(span.spanId))}: must be 16 hex digits, not all zero`;
  }
  if (span.parentSpanId.length !== 0 && span.parentSpanId.length !== 8) {
    return `invalid parentSpanId ${JSON.stringify(hexOf(span.parentSpanId))}: must be empty or 16 hex digits`;
  }
  for (const link of span.links) {
    if (link.traceId.length !== 16 || link.spanId.length !== 8) {
      return `invalid link to ${JSON.stringify(hexOf(link.traceId))}/${JSON.stringify(hexOf(link.spanId))}: ids must be 32 and 16 hex digits`;
    }
  }
  const start = span.startTimeUnixNano;
  if (compareU64(start, 0) === 0) return 'missing startTimeUnixNano';
  if (compareU64(span.endTimeUnixNano, MAX_NANOS_LONG) > 0 || compareU64(start, MAX_NANOS_LONG) >= 0) return 'timestamp out of range';
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

/** One export request's spans after validation. */
export interface ValidatedSpans {
  resourceSpans: PbResourceSpans[];
  /** Spans dropped (bad ids or timestamps); reported in partialSuccess. */
  rejected: number;
  /** Why, one line per distinct reason, for partialSuccess.errorMessage. */
  reasons: string[];
}

const EMPTY_ID = new Uint8Array(0);

/**
 * Drops (in place) the spans that cannot be stored and says how many and
 * why, for partialSuccess. Spans whose fields it rewrites are added to
 * `changed` (their bytes as sent no longer hold them).
 */
export function validateSpans(resourceSpans: PbResourceSpans[], changed?: Set<PbSpan>): ValidatedSpans {
  const scopes = resourceSpans.flatMap((rs) => rs.scopeSpans);
  // An all-zero parent id is no parent (OTLP's "empty" id), as Jaeger reads it.
  for (const ss of scopes)
    for (const span of ss.spans)
      if (span.parentSpanId.length > 0 && allZero(span.parentSpanId)) {
        span.parentSpanId = EMPTY_ID;
        changed?.add(span);
      }
  const { rejected, reasons, lists } = reject(scopes.map((ss) => ss.spans), spanProblem, ['span', 'spans']);
  scopes.forEach((ss, i) => (ss.spans = lists[i] ?? []));
  return { resourceSpans, rejected, reasons };
}

/** Drops the log records that cannot be stored and says how many and why, for partialSuccess. */
export function validateLogs(resourceLogs: ResourceLogs[]): { resourceLogs: ResourceLogs[] } & Rejections {
  const scopes = resourceLogs.flatMap((rl) => rl.scopeLogs);
  const { rejected, reasons, lists } = reject(scopes.map((sl) => sl.logRecords), logRecordProblem, ['log record', 'log records']);
  scopes.forEach((sl, i) => (sl.logRecords = lists[i] ?? []));
  return { resourceLogs, rejected, reasons };
}
