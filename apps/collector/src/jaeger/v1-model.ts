import {
  serviceNameOf,
  SpanKind,
  StatusCode,
  type AnyValue,
  type InstrumentationScope,
  type KeyValue,
  type Resource,
  type ResourceSpans,
  type Span,
} from '../otlp/model.js';
import { valueText } from '../otlp/values.js';

/**
 * Jaeger's v1 "UI JSON" model (what /api/traces answers), translated from
 * OTLP the way Jaeger does it. All timestamps and durations in microseconds.
 */
export interface JaegerTag {
  key: string;
  type: 'string' | 'bool' | 'int64' | 'float64' | 'binary';
  value: string | number | boolean;
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

/** A span with the resource and scope it was exported under. */
export interface SpanInContext {
  resource: Resource;
  scope: InstrumentationScope;
  span: Span;
}

export function spansOfRequest(resourceSpans: readonly ResourceSpans[]): SpanInContext[] {
  return resourceSpans.flatMap((rs) =>
    rs.scopeSpans.flatMap((ss) => ss.spans.map((span) => ({ resource: rs.resource, scope: ss.scope, span }))),
  );
}

const SPAN_KIND_NAME: Record<number, string> = {
  [SpanKind.INTERNAL]: 'internal',
  [SpanKind.SERVER]: 'server',
  [SpanKind.CLIENT]: 'client',
  [SpanKind.PRODUCER]: 'producer',
  [SpanKind.CONSUMER]: 'consumer',
};

export function spanKindName(kind: number): string {
  return SPAN_KIND_NAME[kind] ?? '';
}

export function jaegerTag(key: string, v: AnyValue): JaegerTag {
  if ('stringValue' in v) return { key, type: 'string', value: v.stringValue };
  if ('boolValue' in v) return { key, type: 'bool', value: v.boolValue };
  if ('intValue' in v) {
    // Past 2^53 a JSON number would silently change the value, so it stays a string.
    const n = Number(v.intValue);
    return { key, type: 'int64', value: Number.isSafeInteger(n) ? n : v.intValue };
  }
  if ('doubleValue' in v) {
    return { key, type: 'float64', value: Number.isFinite(v.doubleValue) ? v.doubleValue : String(v.doubleValue) };
  }
  if ('bytesValue' in v) return { key, type: 'binary', value: v.bytesValue };
  if ('arrayValue' in v || 'kvlistValue' in v) return { key, type: 'string', value: valueText(v) };
  return { key, type: 'string', value: '' };
}

function tags(attributes: readonly KeyValue[]): JaegerTag[] {
  return attributes.map((kv) => jaegerTag(kv.key, kv.value));
}

function micros(nanos: string): number {
  return Number(BigInt(nanos) / 1000n);
}

/**
 * Span tags in Jaeger's order: scope name and version, the span's
 * attributes, span.kind, otel.status_code, error, otel.status_description,
 * w3c.tracestate.
 */
function spanTags(span: Span, scope: InstrumentationScope): JaegerTag[] {
  const out: JaegerTag[] = [];
  const str = (key: string, value: string) => out.push({ key, type: 'string', value });
  if (scope.name) str('otel.scope.name', scope.name);
  if (scope.version) str('otel.scope.version', scope.version);
  out.push(...tags(span.attributes));
  const kind = spanKindName(span.kind);
  if (kind) str('span.kind', kind);
  if (span.status.code === StatusCode.OK) str('otel.status_code', 'OK');
  if (span.status.code === StatusCode.ERROR) {
    str('otel.status_code', 'ERROR');
    out.push({ key: 'error', type: 'bool', value: true });
  }
  if (span.status.message) str('otel.status_description', span.status.message);
  if (span.traceState) str('w3c.tracestate', span.traceState);
  return out;
}

function references(span: Span): JaegerReference[] {
  const refs: JaegerReference[] = [];
  if (span.parentSpanId) refs.push({ refType: 'CHILD_OF', traceID: span.traceId, spanID: span.parentSpanId });
  for (const link of span.links) refs.push({ refType: 'FOLLOWS_FROM', traceID: link.traceId, spanID: link.spanId });
  return refs;
}

function logs(span: Span): JaegerLog[] {
  return span.events.map((event) => {
    const fields: JaegerTag[] = [];
    const named = event.attributes.some((kv) => kv.key === 'event');
    if (event.name && !named) fields.push({ key: 'event', type: 'string', value: event.name });
    fields.push(...tags(event.attributes));
    return { timestamp: micros(event.timeUnixNano), fields };
  });
}

function process(resource: Resource): JaegerProcess {
  return {
    serviceName: serviceNameOf(resource),
    tags: tags(resource.attributes.filter((kv) => kv.key !== 'service.name')),
  };
}

/**
 * Groups spans into Jaeger traces, in order of first appearance. Processes
 * are numbered p1, p2, ... per distinct (service, tags) within each trace.
 * This is the plain translation (Jaeger's /api/transform); see adjust.ts for
 * what a trace read from storage also gets.
 */
export function toJaegerTraces(spans: readonly SpanInContext[]): JaegerTrace[] {
  const traces = new Map<string, { trace: JaegerTrace; processIds: Map<string, string> }>();
  for (const { resource, scope, span } of spans) {
    let entry = traces.get(span.traceId);
    if (!entry) {
      entry = { trace: { traceID: span.traceId, spans: [], processes: {}, warnings: null }, processIds: new Map() };
      traces.set(span.traceId, entry);
    }
    const proc = process(resource);
    const procKey = JSON.stringify(proc);
    let processID = entry.processIds.get(procKey);
    if (processID === undefined) {
      processID = `p${entry.processIds.size + 1}`;
      entry.processIds.set(procKey, processID);
      entry.trace.processes[processID] = proc;
    }
    const startNs = BigInt(span.startTimeUnixNano);
    entry.trace.spans.push({
      traceID: span.traceId,
      spanID: span.spanId,
      operationName: span.name,
      references: references(span),
      startTime: Number(startNs / 1000n),
      duration: Number((BigInt(span.endTimeUnixNano) - startNs) / 1000n),
      tags: spanTags(span, scope),
      logs: logs(span),
      processID,
      warnings: null,
    });
  }
  return [...traces.values()].map((e) => e.trace);
}
