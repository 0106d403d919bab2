import type { JaegerSpan, JaegerTag, JaegerTrace } from '../trace-query/jaeger-schema';
import type { Attribute, AttributeValue, ReferenceType, SpanKind, SpanReference, Trace, TraceSpan } from './types';

/** Service shown for a span whose process is missing from the trace's `processes`. */
export const UNKNOWN_SERVICE = 'unknown service';

const SPAN_KINDS: ReadonlySet<string> = new Set<SpanKind>(['server', 'client', 'producer', 'consumer', 'internal']);

/** A Jaeger tag value as a view value: scalars as they are, anything else as JSON. */
export function attributeValue(value: unknown): AttributeValue {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return value;
  }
  return value === null || value === undefined ? '' : JSON.stringify(value);
}

function attributes(tags: readonly JaegerTag[]): Attribute[] {
  return tags.map((tag) => ({ key: tag.key, value: attributeValue(tag.value) }));
}

function tagValue(tags: readonly JaegerTag[], key: string): unknown {
  return tags.find((tag) => tag.key === key)?.value;
}

function referenceType(refType: string): ReferenceType {
  return refType.toUpperCase() === 'FOLLOWS_FROM' ? 'FOLLOWS_FROM' : 'CHILD_OF';
}

/**
 * The span's parent in the tree: its first `CHILD_OF` reference into the same
 * trace (the OTel parent, as Jaeger translates it). `FOLLOWS_FROM` references
 * are OTel links: shown in the details, never used for nesting, like the
 * store's own missing-parent check.
 */
export function parentReference(span: Pick<TraceSpan, 'traceId' | 'references'>): SpanReference | undefined {
  return span.references.find((ref) => ref.type === 'CHILD_OF' && ref.traceId === span.traceId);
}

function isError(tags: readonly JaegerTag[]): boolean {
  const error = tagValue(tags, 'error');
  return error === true || error === 'true' || tagValue(tags, 'otel.status_code') === 'ERROR';
}

function spanKind(tags: readonly JaegerTag[]): SpanKind {
  const kind = tagValue(tags, 'span.kind');
  return typeof kind === 'string' && SPAN_KINDS.has(kind.toLowerCase()) ? (kind.toLowerCase() as SpanKind) : 'unspecified';
}

/** A process's service and resource attributes, built once and shared by all its spans. */
interface Resource {
  readonly service: string;
  readonly attributes: readonly Attribute[];
}

function toSpan(span: JaegerSpan, resourceOf: (processId: string | undefined) => Resource): TraceSpan {
  const { service, attributes: resource } = resourceOf(span.processID);
  const references = span.references.map((ref) => ({
    type: referenceType(ref.refType),
    traceId: ref.traceID.toLowerCase(),
    spanId: ref.spanID.toLowerCase(),
  }));
  const traceId = span.traceID.toLowerCase();
  return {
    traceId,
    spanId: span.spanID.toLowerCase(),
    parentSpanId: parentReference({ traceId, references })?.spanId ?? null,
    service,
    name: span.operationName,
    kind: spanKind(span.tags),
    startUs: span.startTime,
    // A negative duration cannot be drawn or summed; the store should never send one.
    durationUs: Math.max(0, span.duration),
    error: isError(span.tags),
    attributes: attributes(span.tags),
    resource,
    events: span.logs.map((log) => {
      const name = tagValue(log.fields, 'event');
      return {
        timeUs: log.timestamp,
        name: typeof name === 'string' && name !== '' ? name : 'log',
        attributes: attributes(log.fields.filter((field) => field.key !== 'event')),
      };
    }),
    references,
    warnings: span.warnings,
  };
}

/** One Jaeger v1 trace (an element of `/api/traces` or `/api/traces/{id}` `data`) in the viewer's model. */
export function fromJaegerTrace(trace: JaegerTrace): Trace {
  // Shared, not copied per span: a 5,000-span trace has a handful of
  // processes, and the page sends the trace to the browser whole (React's
  // payload writes an object seen twice once).
  const resources = new Map<string | undefined, Resource>();
  const resourceOf = (processId: string | undefined): Resource => {
    let resource = resources.get(processId);
    if (resource === undefined) {
      const process = processId === undefined ? undefined : trace.processes[processId];
      const service = process?.serviceName || UNKNOWN_SERVICE;
      resource = { service, attributes: [{ key: 'service.name', value: service }, ...attributes(process?.tags ?? [])] };
      resources.set(processId, resource);
    }
    return resource;
  };
  return {
    traceId: trace.traceID.toLowerCase(),
    spans: trace.spans.map((span) => toSpan(span, resourceOf)),
    warnings: trace.warnings,
  };
}
