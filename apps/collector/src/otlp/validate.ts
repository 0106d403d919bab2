import type { DecodedTraces, ResourceSpans, Span } from './model.js';

const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;
const ZERO_TRACE_ID = '0'.repeat(32);
const ZERO_SPAN_ID = '0'.repeat(16);
/** Past this, microseconds stop being exact in a JavaScript number (year 2255). */
const MAX_NANOS = BigInt(Number.MAX_SAFE_INTEGER) * 1000n;

/**
 * Why a span cannot be stored, or undefined when it can. OTLP requires
 * 16-byte trace ids and 8-byte span ids, neither all zeros; a span also needs
 * a start time and an end no earlier than its start.
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
  if (end < start) return 'endTimeUnixNano is before startTimeUnixNano';
  if (end > MAX_NANOS) return 'timestamp out of range';
  return undefined;
}

/** Drops the spans that cannot be stored and says how many and why, for partialSuccess. */
export function validateTraces(resourceSpans: ResourceSpans[]): DecodedTraces {
  let rejectedSpans = 0;
  const reasons = new Map<string, number>();
  for (const rs of resourceSpans) {
    for (const ss of rs.scopeSpans) {
      ss.spans = ss.spans.filter((span) => {
        const problem = spanProblem(span);
        if (problem === undefined) return true;
        rejectedSpans++;
        reasons.set(problem, (reasons.get(problem) ?? 0) + 1);
        return false;
      });
    }
  }
  const rejectReasons = [...reasons].map(([reason, n]) => (n > 1 ? `${n} spans: ${reason}` : `1 span: ${reason}`));
  return { resourceSpans, rejectedSpans, rejectReasons };
}
