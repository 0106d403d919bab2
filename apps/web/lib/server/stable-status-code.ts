import 'server-only';
import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ATTR_HTTP_RESPONSE_STATUS_CODE } from '@opentelemetry/semantic-conventions';
import { ATTR_LEGACY_HTTP_STATUS_CODE } from '@/lib/shared/attributes';

/**
 * `span` as it should be stored: with the stable `http.response.status_code`
 * where it carries only the legacy `http.status_code` (Next's server spans,
 * @vercel/otel's fetch spans), so that one tag finds a status in every tier
 * (the browser's and the data-processor's spans already carry the stable
 * one). The legacy attribute stays, for searches written against it. Any
 * other span is returned as it is.
 */
export function withStableStatusCode(span: ReadableSpan): ReadableSpan {
  if (span.attributes[ATTR_HTTP_RESPONSE_STATUS_CODE] !== undefined) return span;
  const legacy = span.attributes[ATTR_LEGACY_HTTP_STATUS_CODE];
  // The stable attribute is an int; Next.js writes a number, anything else is left alone.
  const status = typeof legacy === 'number' ? legacy : typeof legacy === 'string' && /^\d{3}$/.test(legacy) ? Number(legacy) : undefined;
  if (status === undefined) return span;
  const attributes = { ...span.attributes, [ATTR_HTTP_RESPONSE_STATUS_CODE]: status };
  return {
    name: span.name,
    kind: span.kind,
    spanContext: () => span.spanContext(),
    parentSpanContext: span.parentSpanContext,
    startTime: span.startTime,
    endTime: span.endTime,
    status: span.status,
    attributes,
    links: span.links,
    events: span.events,
    duration: span.duration,
    ended: span.ended,
    resource: span.resource,
    instrumentationScope: span.instrumentationScope,
    droppedAttributesCount: span.droppedAttributesCount,
    droppedEventsCount: span.droppedEventsCount,
    droppedLinksCount: span.droppedLinksCount,
  };
}

/**
 * Passes every span on to `next` (the exporting processor), each ended one
 * through `withStableStatusCode`. A copy handed on rather than an attribute
 * set on the span: Next.js writes the status right before it ends its span,
 * and the SDK @vercel/otel 2.1.3 bundles (it is what creates the spans)
 * never calls the `onEnding` hook of SDK 2.x, the one moment a processor may
 * still change a span; by `onEnd` it is read-only.
 */
export class StableStatusCodeProcessor implements SpanProcessor {
  constructor(private readonly next: SpanProcessor) {}

  onStart(span: Span, parentContext: Context): void {
    this.next.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    this.next.onEnd(withStableStatusCode(span));
  }

  forceFlush(): Promise<void> {
    return this.next.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.next.shutdown();
  }
}
