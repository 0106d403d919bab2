import { NO_SERVICE_NAME, StatusCode, SpanKind, type AnyValue, type InstrumentationScope, type KeyValue, type Resource, type ResourceSpans, type Span } from '../otlp/model.js';
import { WARNINGS_ATTRIBUTE } from '../otlp/sanitize.js';
import { goAsString, stdBase64 } from '../otlp/go-format.js';

/**
 * Jaeger's v1 model, and its "UI JSON" (what /api/traces answers),
 * translated from OTLP as Jaeger does it: first into spans with typed tags
 * (the model Jaeger's read-time adjusters work on, see v1-adjust.ts), then
 * into the JSON. Inside the model times are nanoseconds; the JSON has
 * microseconds.
 */

/** Jaeger's tag value types, in the order its sort compares them. */
export const V1_VALUE_TYPES = ['string', 'bool', 'int64', 'float64', 'binary'] as const;
export type V1ValueType = (typeof V1_VALUE_TYPES)[number];

export interface V1KeyValue {
  key: string;
  type: V1ValueType;
  /** string: text; bool: boolean; int64: bigint; float64: number; binary: bytes as standard base64. */
  value: string | boolean | bigint | number;
}

export interface V1Process {
  serviceName: string;
  tags: V1KeyValue[];
}

export interface V1Reference {
  refType: 'CHILD_OF' | 'FOLLOWS_FROM';
  /** 32 lowercase hex digits; all zeros for a link without a trace id. */
  traceId: string;
  spanId: string;
}

export interface V1Span {
  /** 32 lowercase hex digits. */
  traceId: string;
  /** 16 lowercase hex digits. */
  spanId: string;
  operationName: string;
  references: V1Reference[];
  startNs: bigint;
  durationNs: bigint;
  tags: V1KeyValue[];
  logs: { timeNs: bigint; fields: V1KeyValue[] }[];
  process: V1Process;
  warnings: string[];
}

const ZERO_TRACE_ID = '0'.repeat(32);

export function v1Tag(key: string, v: AnyValue): V1KeyValue {
  if ('stringValue' in v) return { key, type: 'string', value: v.stringValue };
  if ('boolValue' in v) return { key, type: 'bool', value: v.boolValue };
  if ('intValue' in v) return { key, type: 'int64', value: BigInt(v.intValue) };
  if ('doubleValue' in v) return { key, type: 'float64', value: v.doubleValue };
  if ('bytesValue' in v) return { key, type: 'binary', value: stdBase64(v.bytesValue) };
  if ('arrayValue' in v || 'kvlistValue' in v) return { key, type: 'string', value: goAsString(v) };
  return { key, type: 'string', value: '' };
}

const str = (key: string, value: string): V1KeyValue => ({ key, type: 'string', value });
const tags = (attributes: readonly KeyValue[]) => attributes.map((kv) => v1Tag(kv.key, kv.value));

const SPAN_KIND_TAG: Record<number, string> = {
  [SpanKind.INTERNAL]: 'internal',
  [SpanKind.SERVER]: 'server',
  [SpanKind.CLIENT]: 'client',
  [SpanKind.PRODUCER]: 'producer',
  [SpanKind.CONSUMER]: 'consumer',
};

/** Jaeger's lowercase span kind name, '' for unspecified (and unknown) kinds. */
export function spanKindName(kind: number): string {
  return SPAN_KIND_TAG[kind] ?? '';
}

/**
 * The process of a resource: service.name (its text, '' when not a string),
 * the other attributes as tags; Jaeger's NO_SERVICE_NAME for a resource with
 * no attributes at all (only /api/transform shows these: stored resources
 * get a placeholder name on the way in).
 */
export function v1Process(resource: Resource): V1Process {
  if (resource.attributes.length === 0) return { serviceName: NO_SERVICE_NAME, tags: [] };
  const name = resource.attributes.find((kv) => kv.key === 'service.name');
  return {
    serviceName: name && 'stringValue' in name.value ? name.value.stringValue : '',
    tags: tags(resource.attributes.filter((kv) => kv.key !== 'service.name')),
  };
}

/**
 * Span tags in Jaeger's order: scope name and version, the span's
 * attributes, span.kind, otel.status_code, error, otel.status_description,
 * w3c.tracestate. (Reads sort them; /api/transform keeps this order.)
 */
function spanTags(span: Span, scope: InstrumentationScope): V1KeyValue[] {
  const out: V1KeyValue[] = [];
  if (scope.name) out.push(str('otel.scope.name', scope.name));
  if (scope.version) out.push(str('otel.scope.version', scope.version));
  out.push(...tags(span.attributes));
  const kind = spanKindName(span.kind);
  if (kind) out.push(str('span.kind', kind));
  if (span.status.code === StatusCode.OK) out.push(str('otel.status_code', 'OK'));
  if (span.status.code === StatusCode.ERROR) {
    out.push(str('otel.status_code', 'ERROR'));
    out.push({ key: 'error', type: 'bool', value: true });
  }
  if (span.status.message) out.push(str('otel.status_description', span.status.message));
  if (span.traceState) out.push(str('w3c.tracestate', span.traceState));
  return out;
}

/**
 * The parent as a CHILD_OF reference first, then each link (FOLLOWS_FROM
 * unless its `opentracing.ref_type` attribute says `child_of`). A link to the
 * parent itself only sets the parent reference's type.
 */
function references(span: Span): V1Reference[] {
  const refs: V1Reference[] = [];
  if (span.parentSpanId) refs.push({ refType: 'CHILD_OF', traceId: span.traceId, spanId: span.parentSpanId });
  for (const link of span.links) {
    const refTypeAttr = link.attributes.find((kv) => kv.key === 'opentracing.ref_type');
    const refType = refTypeAttr && 'stringValue' in refTypeAttr.value && refTypeAttr.value.stringValue === 'child_of' ? 'CHILD_OF' : 'FOLLOWS_FROM';
    const traceId = link.traceId || ZERO_TRACE_ID;
    const spanId = link.spanId || '0'.repeat(16);
    const parent = refs[0];
    if (span.parentSpanId && parent && traceId === span.traceId && spanId === span.parentSpanId) {
      parent.refType = refType;
      continue;
    }
    refs.push({ refType, traceId, spanId });
  }
  return refs;
}

function logs(span: Span): V1Span['logs'] {
  return span.events.map((event) => {
    const fields: V1KeyValue[] = [];
    if (event.name && !event.attributes.some((kv) => kv.key === 'event')) fields.push(str('event', event.name));
    fields.push(...tags(event.attributes));
    return { timeNs: BigInt(event.timeUnixNano), fields };
  });
}

/** The warnings Jaeger keeps in a span's `@jaeger@warnings` attribute. */
function storedWarnings(span: Span): string[] {
  const attr = span.attributes.find((kv) => kv.key === WARNINGS_ATTRIBUTE);
  if (!attr) return [];
  if ('arrayValue' in attr.value) return attr.value.arrayValue.values.map((v) => ('stringValue' in v ? v.stringValue : ''));
  return [goAsString(attr.value)];
}

/**
 * OTLP to v1 spans, in order, as Jaeger's translator does: each resource a
 * process, each span tagged and referenced as above. Warnings stored on a
 * span move into `warnings` and out of its tags; as in Jaeger, they go to
 * the last span received with the same span id.
 */
export function toV1Spans(resourceSpans: readonly ResourceSpans[]): V1Span[] {
  const out: V1Span[] = [];
  const byId = new Map<string, V1Span>();
  for (const rs of resourceSpans) {
    if (rs.resource.attributes.length === 0 && rs.scopeSpans.length === 0) continue;
    const process = v1Process(rs.resource);
    for (const ss of rs.scopeSpans) {
      for (const span of ss.spans) {
        const startNs = BigInt(span.startTimeUnixNano);
        const v1: V1Span = {
          traceId: span.traceId,
          spanId: span.spanId,
          operationName: span.name,
          references: references(span),
          startNs,
          durationNs: BigInt(span.endTimeUnixNano) - startNs,
          tags: spanTags(span, ss.scope),
          logs: logs(span),
          process: { serviceName: process.serviceName, tags: process.tags.map((t) => ({ ...t })) },
          warnings: [],
        };
        out.push(v1);
        byId.set(v1.spanId, v1);
      }
    }
  }
  for (const rs of resourceSpans) {
    for (const ss of rs.scopeSpans) {
      for (const span of ss.spans) {
        const warnings = storedWarnings(span);
        const target = byId.get(span.spanId);
        if (warnings.length === 0 || !target) continue;
        target.warnings.push(...warnings);
        target.tags = target.tags.filter((t) => t.key !== WARNINGS_ATTRIBUTE);
      }
    }
  }
  return out;
}

// ---- UI JSON ----

export interface JaegerTag {
  key: string;
  type: V1ValueType;
  value: string | number | boolean | null;
}

export interface JaegerReference {
  refType: 'CHILD_OF' | 'FOLLOWS_FROM';
  traceID: string;
  spanID: string;
}

export interface JaegerLog {
  timestamp: number;
  fields: JaegerTag[];
}

export interface JaegerSpan {
  traceID: string;
  spanID: string;
  operationName: string;
  references: JaegerReference[];
  startTime: number;
  duration: number;
  tags: JaegerTag[];
  logs: JaegerLog[];
  processID: string;
  warnings: string[] | null;
}

export interface JaegerProcess {
  serviceName: string;
  tags: JaegerTag[];
}

export interface JaegerTrace {
  traceID: string;
  spans: JaegerSpan[];
  processes: Record<string, JaegerProcess>;
  warnings: string[] | null;
}

/** Jaeger's TraceID.String(): 16 hex digits when the high half is zero, else 32. */
export function jaegerTraceIdString(traceId: string): string {
  return traceId.startsWith('0000000000000000') ? traceId.slice(16) : traceId;
}

/**
 * A tag value in the JSON: int64 past JavaScript's safe range as a decimal
 * string (as Jaeger does); empty bytes as null (Go's nil slice). Non-finite
 * doubles, which Jaeger fails the whole answer on, are written as "NaN",
 * "Infinity" and "-Infinity" (see the README's differences table).
 */
function jsonValue(tag: V1KeyValue): JaegerTag['value'] {
  switch (tag.type) {
    case 'int64': {
      const n = tag.value as bigint;
      return n <= BigInt(Number.MAX_SAFE_INTEGER) && n >= -BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n.toString();
    }
    case 'float64': {
      const f = tag.value as number;
      return Number.isFinite(f) ? f : String(f);
    }
    case 'binary':
      return tag.value === '' ? null : (tag.value as string);
    default:
      return tag.value as string | boolean;
  }
}

const jsonTags = (list: readonly V1KeyValue[]): JaegerTag[] => list.map((t) => ({ key: t.key, type: t.type, value: jsonValue(t) }));

/** One attribute as a tag of the UI JSON, typed as span tags are. */
export const jaegerTag = (key: string, value: AnyValue): JaegerTag => {
  const tag = v1Tag(key, value);
  return { key, type: tag.type, value: jsonValue(tag) };
};
const micros = (ns: bigint): number => Number(ns / 1000n);

function sameProcess(a: V1Process, b: V1Process): boolean {
  if (a.serviceName !== b.serviceName || a.tags.length !== b.tags.length) return false;
  return a.tags.every((t, i) => {
    const u = b.tags[i];
    return u !== undefined && t.key === u.key && t.type === u.type && t.value === u.value;
  });
}

/**
 * One trace's spans as Jaeger's UI JSON. Processes are numbered p1, p2, ...
 * in the order spans first use them, equal processes sharing a number.
 */
export function toJaegerTrace(spans: readonly V1Span[]): JaegerTrace {
  const processes: { id: string; process: V1Process }[] = [];
  const jsonSpans = spans.map((span): JaegerSpan => {
    let entry = processes.find((p) => sameProcess(p.process, span.process));
    if (!entry) {
      entry = { id: `p${processes.length + 1}`, process: span.process };
      processes.push(entry);
    }
    return {
      traceID: jaegerTraceIdString(span.traceId),
      spanID: span.spanId,
      operationName: span.operationName,
      references: span.references.map((r) => ({ refType: r.refType, traceID: jaegerTraceIdString(r.traceId), spanID: r.spanId })),
      startTime: micros(span.startNs),
      duration: micros(span.durationNs),
      tags: jsonTags(span.tags),
      logs: span.logs.map((l) => ({ timestamp: micros(l.timeNs), fields: jsonTags(l.fields) })),
      processID: entry.id,
      warnings: span.warnings.length > 0 ? span.warnings : null,
    };
  });
  return {
    traceID: jsonSpans[0]?.traceID ?? '',
    spans: jsonSpans,
    processes: Object.fromEntries(processes.map((p) => [p.id, { serviceName: p.process.serviceName, tags: jsonTags(p.process.tags) }])),
    warnings: null,
  };
}

/**
 * Spans into traces, in order of first appearance: what POST /api/transform
 * answers (no adjustments, tags in translation order).
 */
export function groupByTrace(spans: readonly V1Span[]): V1Span[][] {
  const traces = new Map<string, V1Span[]>();
  for (const span of spans) {
    const list = traces.get(span.traceId) ?? [];
    list.push(span);
    traces.set(span.traceId, list);
  }
  return [...traces.values()];
}
