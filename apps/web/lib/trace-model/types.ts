/**
 * The trace viewer's span model: Jaeger v1 JSON (what the query API answers),
 * normalised so the views never deal with Jaeger's tag lists or process ids.
 *
 * All timestamps are microseconds since the Unix epoch and all durations are
 * microseconds, as in Jaeger's JSON.
 */

export type AttributeValue = string | number | boolean;

export interface Attribute {
  readonly key: string;
  readonly value: AttributeValue;
}

export type SpanKind = 'server' | 'client' | 'producer' | 'consumer' | 'internal' | 'unspecified';

/** A span event (a Jaeger log), e.g. the `exception` event of a recorded error. */
export interface SpanEvent {
  readonly timeUs: number;
  readonly name: string;
  readonly attributes: readonly Attribute[];
}

/** Jaeger's reference types: the OTel parent is `CHILD_OF`, OTel links are `FOLLOWS_FROM`. */
export type ReferenceType = 'CHILD_OF' | 'FOLLOWS_FROM';

export interface SpanReference {
  readonly type: ReferenceType;
  readonly traceId: string;
  readonly spanId: string;
}

export interface TraceSpan {
  readonly traceId: string;
  readonly spanId: string;
  /** The span it hangs under in this trace (see `parentReference` in from-jaeger.ts); null for a root. */
  readonly parentSpanId: string | null;
  readonly service: string;
  readonly name: string;
  readonly kind: SpanKind;
  readonly startUs: number;
  readonly durationUs: number;
  /** ERROR status (Jaeger's `error=true` tag or `otel.status_code=ERROR`). */
  readonly error: boolean;
  /** Span tags, in the store's order. */
  readonly attributes: readonly Attribute[];
  /** Resource attributes (Jaeger's process tags), `service.name` first. */
  readonly resource: readonly Attribute[];
  readonly events: readonly SpanEvent[];
  /** Every reference, the parent's included. */
  readonly references: readonly SpanReference[];
  /** Warnings the store attached (e.g. Jaeger's missing-parent warning). */
  readonly warnings: readonly string[];
}

export interface Trace {
  readonly traceId: string;
  readonly spans: readonly TraceSpan[];
  readonly warnings: readonly string[];
}

export const endOf = (span: Pick<TraceSpan, 'startUs' | 'durationUs'>): number => span.startUs + span.durationUs;
