import { isSpanContextValid, type Span } from '@opentelemetry/api';

/** W3C Trace Context Level 2 response header naming the trace a request joined. */
export const TRACERESPONSE_HEADER = 'traceresponse';

/** The span's trace id, or null when tracing is off (no-op spans carry the all-zero id). */
export function traceIdOf(span: Span | undefined): string | null {
  const spanContext = span?.spanContext();
  return spanContext && isSpanContextValid(spanContext) ? spanContext.traceId : null;
}

/** `00-<trace-id>-<span-id>-<flags>` for the span, or null when it is not a real span. */
export function traceResponseOf(span: Span | undefined): string | null {
  const spanContext = span?.spanContext();
  if (!spanContext || !isSpanContextValid(spanContext)) {
    return null;
  }
  const flags = (spanContext.traceFlags & 0xff).toString(16).padStart(2, '0');
  return `00-${spanContext.traceId}-${spanContext.spanId}-${flags}`;
}
