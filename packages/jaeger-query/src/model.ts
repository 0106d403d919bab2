import type { TraceLogRecord } from './logs.js';
import type { JaegerSpan, JaegerTag, JaegerTrace } from './v1.js';
import type { OtlpAnyValue, OtlpKeyValue, OtlpTracesData } from './v3.js';

/**
 * The trace view model: what the query API answers (v1 JSON or api_v3
 * OTLP/JSON), normalised so no reader deals with Jaeger's tag lists, process
 * ids or OTLP's nesting. Plain, immutable data: it crosses from a server
 * component to the browser as it is.
 *
 * All timestamps are microseconds since the Unix epoch and all durations are
 * microseconds, as in Jaeger's v1 JSON.
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
  /** The `event` field; `log` for a Jaeger log without one. */
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
  /** Lower-case hex, as the store answers it. */
  readonly traceId: string;
  readonly spanId: string;
  /** The span it hangs under in this trace (see `parentReference`); null for a root. */
  readonly parentSpanId: string | null;
  readonly service: string;
  readonly name: string;
  readonly kind: SpanKind;
  readonly startUs: number;
  readonly durationUs: number;
  /** ERROR status, by `isErrorStatus`. */
  readonly error: boolean;
  /** Span tags (OTLP attributes), in the store's order. */
  readonly attributes: readonly Attribute[];
  /** Resource attributes (Jaeger's process tags), `service.name` first. */
  readonly resource: readonly Attribute[];
  readonly events: readonly SpanEvent[];
  /** Every reference, the parent's included. */
  readonly references: readonly SpanReference[];
  /** Warnings the store attached (e.g. Jaeger's clock-skew or missing-parent warnings). */
  readonly warnings: readonly string[];
}

export interface Trace {
  readonly traceId: string;
  readonly spans: readonly TraceSpan[];
  readonly warnings: readonly string[];
}

/** Service shown for a span whose process (resource) names none. */
export const UNKNOWN_SERVICE = 'unknown service';

export const endOf = (span: Pick<TraceSpan, 'startUs' | 'durationUs'>): number => span.startUs + span.durationUs;

/** The value of the span's first attribute named `key`, if any. */
export function spanAttribute(span: Pick<TraceSpan, 'attributes'>, key: string): AttributeValue | undefined {
  return span.attributes.find((attribute) => attribute.key === key)?.value;
}

/** The services of a trace, sorted by name. */
export function servicesOf(trace: Pick<Trace, 'spans'>): string[] {
  return [...new Set(trace.spans.map((span) => span.service))].sort();
}

/**
 * Whether a span has ERROR status, from its Jaeger tags. The OTel status,
 * `otel.status_code`, decides when it is there (Jaeger writes it for every
 * span whose status is set: `ERROR` or `OK`), so an explicit OK is never an
 * error; without it (a span from a Jaeger or Zipkin client, or status left
 * unset), the OpenTracing `error` tag does (`true`, or the string `"true"`
 * Zipkin writes). This is how OpenTelemetry's own Jaeger translator reads a
 * Jaeger span's status back.
 */
export function isErrorStatus(tags: readonly { readonly key: string; readonly value: unknown }[]): boolean {
  const status = tags.find((tag) => tag.key === 'otel.status_code')?.value;
  if (status !== undefined) return status === 'ERROR';
  const error = tags.find((tag) => tag.key === 'error')?.value;
  return error === true || error === 'true';
}

/**
 * The span's parent in the tree: its first `CHILD_OF` reference into the same
 * trace (the OTel parent, as Jaeger translates it). `FOLLOWS_FROM` references
 * are OTel links: kept, never used for nesting, like the store's own
 * missing-parent check.
 */
export function parentReference(span: Pick<TraceSpan, 'traceId' | 'references'>): SpanReference | undefined {
  return span.references.find((ref) => ref.type === 'CHILD_OF' && ref.traceId === span.traceId);
}

const SPAN_KINDS: ReadonlySet<string> = new Set<SpanKind>(['server', 'client', 'producer', 'consumer', 'internal']);

function spanKind(value: unknown): SpanKind {
  return typeof value === 'string' && SPAN_KINDS.has(value.toLowerCase()) ? (value.toLowerCase() as SpanKind) : 'unspecified';
}

/** A tag value as a view value: scalars as they are (an int64 past 2^53 stays the exact text Jaeger sent), anything else as JSON. */
export function attributeValue(value: unknown): AttributeValue {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return value === null || value === undefined ? '' : JSON.stringify(value);
}

const fromTags = (tags: readonly JaegerTag[]): Attribute[] => tags.map((tag) => ({ key: tag.key, value: attributeValue(tag.value) }));

/** A process's service and resource attributes, built once and shared by all its spans. */
interface Resource {
  readonly service: string;
  readonly attributes: readonly Attribute[];
}

function fromJaegerSpan(span: JaegerSpan, resource: Resource): TraceSpan {
  const traceId = span.traceID.toLowerCase();
  const references = span.references.map((ref) => ({
    type: ref.refType,
    traceId: ref.traceID.toLowerCase(),
    spanId: ref.spanID.toLowerCase(),
  }));
  return {
    traceId,
    spanId: span.spanID.toLowerCase(),
    parentSpanId: parentReference({ traceId, references })?.spanId ?? null,
    service: resource.service,
    name: span.operationName,
    kind: spanKind(span.tags.find((tag) => tag.key === 'span.kind')?.value),
    startUs: span.startTime,
    // A negative duration cannot be drawn or summed; the store should never send one.
    durationUs: Math.max(0, span.duration),
    error: isErrorStatus(span.tags),
    attributes: fromTags(span.tags),
    resource: resource.attributes,
    events: span.logs.map((log) => {
      const name = log.fields.find((field) => field.key === 'event')?.value;
      return {
        timeUs: log.timestamp,
        name: typeof name === 'string' && name !== '' ? name : 'log',
        attributes: fromTags(log.fields.filter((field) => field.key !== 'event')),
      };
    }),
    references,
    warnings: span.warnings ?? [],
  };
}

/** One Jaeger v1 trace (an element of `data` of `/api/traces` or `/api/traces/{id}`) in the view model. */
export function fromJaegerTrace(trace: JaegerTrace): Trace {
  // Shared, not copied per span: a 5,000-span trace has a handful of
  // processes, and the trace page sends the trace to the browser whole
  // (React's payload writes an object seen twice once).
  const resources = new Map<string, Resource>();
  const resourceOf = (processId: string): Resource => {
    let resource = resources.get(processId);
    if (resource === undefined) {
      const process = trace.processes[processId];
      const service = process?.serviceName || UNKNOWN_SERVICE;
      resource = { service, attributes: [{ key: 'service.name', value: service }, ...fromTags(process?.tags ?? [])] };
      resources.set(processId, resource);
    }
    return resource;
  };
  return {
    traceId: trace.traceID.toLowerCase(),
    spans: trace.spans.map((span) => fromJaegerSpan(span, resourceOf(span.processID))),
    warnings: trace.warnings ?? [],
  };
}

const OTLP_KINDS: readonly SpanKind[] = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];
const OTLP_STATUS_ERROR = 2;

/** An OTLP value as a view value, as Jaeger's v1 translation shows it: int64 as a number while exact, arrays and maps as JSON. */
function otlpValue(value: OtlpAnyValue): AttributeValue {
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) {
    const n = Number(value.intValue);
    return Number.isSafeInteger(n) ? n : value.intValue;
  }
  // Non-finite doubles stay the text Jaeger sent ("NaN", "Infinity").
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.bytesValue !== undefined) return value.bytesValue;
  if (value.arrayValue !== undefined) return JSON.stringify((value.arrayValue.values ?? []).map(otlpValue));
  if (value.kvlistValue !== undefined) {
    return JSON.stringify(Object.fromEntries((value.kvlistValue.values ?? []).map((kv) => [kv.key, otlpValue(kv.value)])));
  }
  return '';
}

const fromKeyValues = (list: readonly OtlpKeyValue[] | undefined): Attribute[] =>
  (list ?? []).map((kv) => ({ key: kv.key, value: otlpValue(kv.value) }));

const nanos = (value: string | undefined): bigint => (value === undefined ? 0n : BigInt(value));
/** Nanoseconds to whole microseconds, cut as Jaeger's v1 JSON cuts them. */
const micros = (ns: bigint): number => Number(ns / 1000n);

/**
 * The traces of an api_v3 answer (`result` of `/api/v3/traces...`), one view
 * model trace per trace id, in the order they first appear. Resource
 * attributes stay attributes (`service.name` first); scope and status are
 * not turned into tags as v1 does, since the model has fields for what they mean.
 */
export function fromOtlpTraces(data: OtlpTracesData): Trace[] {
  const byId = new Map<string, TraceSpan[]>();
  for (const rs of data.resourceSpans) {
    const attributes = fromKeyValues(rs.resource.attributes);
    const name = attributes.find((attribute) => attribute.key === 'service.name')?.value;
    const service = typeof name === 'string' && name !== '' ? name : UNKNOWN_SERVICE;
    const resource = [{ key: 'service.name', value: service }, ...attributes.filter((attribute) => attribute.key !== 'service.name')];
    for (const ss of rs.scopeSpans ?? []) {
      for (const span of ss.spans ?? []) {
        const references: SpanReference[] = [
          ...(span.parentSpanId === undefined ? [] : [{ type: 'CHILD_OF' as const, traceId: span.traceId, spanId: span.parentSpanId }]),
          ...(span.links ?? []).map((link) => ({
            type: 'FOLLOWS_FROM' as const,
            traceId: link.traceId ?? '0'.repeat(32),
            spanId: link.spanId ?? '0'.repeat(16),
          })),
        ];
        const startNs = nanos(span.startTimeUnixNano);
        const spans = byId.get(span.traceId) ?? [];
        spans.push({
          traceId: span.traceId,
          spanId: span.spanId,
          parentSpanId: span.parentSpanId ?? null,
          service,
          name: span.name ?? '',
          kind: OTLP_KINDS[span.kind ?? 0] ?? 'unspecified',
          startUs: micros(startNs),
          // From the nanosecond difference, as Jaeger computes the v1 duration.
          durationUs: Math.max(0, micros(nanos(span.endTimeUnixNano) - startNs)),
          error: span.status.code === OTLP_STATUS_ERROR,
          attributes: fromKeyValues(span.attributes),
          resource,
          events: (span.events ?? []).map((event) => ({
            timeUs: micros(nanos(event.timeUnixNano)),
            name: event.name ?? '',
            attributes: fromKeyValues(event.attributes),
          })),
          references,
          warnings: [],
        });
        byId.set(span.traceId, spans);
      }
    }
  }
  return [...byId].map(([traceId, spans]) => ({ traceId, spans, warnings: [] }));
}

/**
 * A log record of a trace (the embedded store's logs endpoint), as the trace
 * page shows it. Times are microseconds since the Unix epoch.
 */
export interface TraceLog {
  readonly traceId: string;
  /** null when the record names no span. */
  readonly spanId: string | null;
  readonly timeUs: number;
  /** OTLP severity number (1-24), 0 when unset. */
  readonly severityNumber: number;
  /** The record's severity text, else one derived from the number ("INFO", "WARN2", …), else "UNSPECIFIED". */
  readonly severity: string;
  readonly body: string;
  readonly service: string;
  readonly attributes: readonly Attribute[];
}

/** OTLP's severity ranges: 1-4 TRACE, 5-8 DEBUG, 9-12 INFO, 13-16 WARN, 17-20 ERROR, 21-24 FATAL; the 2nd to 4th of a range get a digit. */
const SEVERITY_RANGES = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'] as const;

export function severityName(severityNumber: number): string {
  if (!Number.isInteger(severityNumber) || severityNumber < 1 || severityNumber > 24) return 'UNSPECIFIED';
  const range = SEVERITY_RANGES[Math.floor((severityNumber - 1) / 4)] ?? 'UNSPECIFIED';
  const step = (severityNumber - 1) % 4;
  return step === 0 ? range : `${range}${step + 1}`;
}

export function fromLogRecord(record: TraceLogRecord): TraceLog {
  const text = record.severityText.trim();
  return {
    traceId: record.traceID.toLowerCase(),
    spanId: record.spanID === '' ? null : record.spanID.toLowerCase(),
    timeUs: record.timestamp,
    severityNumber: record.severityNumber,
    severity: text === '' ? severityName(record.severityNumber) : text,
    body: record.body,
    service: record.serviceName,
    attributes: fromTags(record.attributes),
  };
}
