import { StatusCode, type AnyValue, type KeyValue, type Span } from '../otlp/model.js';
import type { ResourceRecord, ScopeRecord, StoredTrace } from '../store/store.js';

/**
 * Jaeger's api_v3 answers: traces as OTLP/JSON (proto3 JSON mapping, so
 * fields at their default value are left out), and trace summaries.
 * Timestamps are nanoseconds as decimal strings, as in OTLP.
 */

type Json = Record<string, unknown>;

function keyValues(list: readonly KeyValue[]): Json[] {
  return list.map((kv) => ({ key: kv.key, value: anyValue(kv.value) }));
}

function anyValue(v: AnyValue): Json {
  if ('arrayValue' in v) return { arrayValue: { values: v.arrayValue.values.map(anyValue) } };
  if ('kvlistValue' in v) return { kvlistValue: { values: keyValues(v.kvlistValue.values) } };
  if ('doubleValue' in v && !Number.isFinite(v.doubleValue)) return { doubleValue: String(v.doubleValue) };
  return v;
}

/** Sets `key` only when the value is not proto3's default for its type. */
function put(target: Json, key: string, value: unknown): void {
  if (value === '' || value === 0 || value === '0' || value === undefined) return;
  if (Array.isArray(value) && value.length === 0) return;
  target[key] = value;
}

function spanJson(span: Span): Json {
  const out: Json = {};
  put(out, 'traceId', span.traceId);
  put(out, 'spanId', span.spanId);
  put(out, 'traceState', span.traceState);
  put(out, 'parentSpanId', span.parentSpanId);
  put(out, 'flags', span.flags);
  put(out, 'name', span.name);
  put(out, 'kind', span.kind);
  put(out, 'startTimeUnixNano', span.startTimeUnixNano);
  put(out, 'endTimeUnixNano', span.endTimeUnixNano);
  put(out, 'attributes', keyValues(span.attributes));
  put(out, 'droppedAttributesCount', span.droppedAttributesCount);
  put(
    out,
    'events',
    span.events.map((e) => {
      const event: Json = {};
      put(event, 'timeUnixNano', e.timeUnixNano);
      put(event, 'name', e.name);
      put(event, 'attributes', keyValues(e.attributes));
      put(event, 'droppedAttributesCount', e.droppedAttributesCount);
      return event;
    }),
  );
  put(out, 'droppedEventsCount', span.droppedEventsCount);
  put(
    out,
    'links',
    span.links.map((l) => {
      const link: Json = {};
      put(link, 'traceId', l.traceId);
      put(link, 'spanId', l.spanId);
      put(link, 'traceState', l.traceState);
      put(link, 'attributes', keyValues(l.attributes));
      put(link, 'droppedAttributesCount', l.droppedAttributesCount);
      put(link, 'flags', l.flags);
      return link;
    }),
  );
  put(out, 'droppedLinksCount', span.droppedLinksCount);
  const status: Json = {};
  put(status, 'message', span.status.message);
  put(status, 'code', span.status.code);
  out.status = status;
  return out;
}

function resourceJson(r: ResourceRecord): Json {
  const out: Json = {};
  put(out, 'attributes', keyValues(r.resource.attributes));
  put(out, 'droppedAttributesCount', r.resource.droppedAttributesCount);
  return out;
}

function scopeJson(s: ScopeRecord): Json {
  const out: Json = {};
  put(out, 'name', s.scope.name);
  put(out, 'version', s.scope.version);
  put(out, 'attributes', keyValues(s.scope.attributes));
  put(out, 'droppedAttributesCount', s.scope.droppedAttributesCount);
  return out;
}

/** Stored traces as one OTLP TracesData: spans grouped by resource, then by scope, in arrival order. */
export function toTracesData(traces: readonly StoredTrace[]): { resourceSpans: Json[] } {
  const resourceSpans: Json[] = [];
  for (const trace of traces) {
    const byResource = new Map<number, { json: Json; scopes: Map<string, Json[]> }>();
    for (const { resourceId, scope, span } of trace.spans) {
      let group = byResource.get(resourceId);
      if (!group) {
        const record = trace.resources.get(resourceId);
        const json: Json = { resource: record ? resourceJson(record) : {}, scopeSpans: [] };
        if (record) put(json, 'schemaUrl', record.schemaUrl);
        group = { json, scopes: new Map() };
        byResource.set(resourceId, group);
        resourceSpans.push(json);
      }
      const scopeKey = JSON.stringify(scope);
      let spans = group.scopes.get(scopeKey);
      if (!spans) {
        spans = [];
        group.scopes.set(scopeKey, spans);
        const scopeSpans: Json = { scope: scopeJson(scope), spans };
        put(scopeSpans, 'schemaUrl', scope.schemaUrl);
        (group.json.scopeSpans as Json[]).push(scopeSpans);
      }
      spans.push(spanJson(span));
    }
  }
  return { resourceSpans };
}

export interface ServiceSummary {
  name: string;
  spanCount: number;
  errorSpanCount: number;
}

export interface TraceSummary {
  traceId: string;
  rootServiceName: string;
  rootOperationName: string;
  minStartTimeUnixNano: string;
  maxEndTimeUnixNano: string;
  spanCount: number;
  errorSpanCount: number;
  services: ServiceSummary[];
}

/**
 * A trace's summary. The root is the earliest span without a parent, or,
 * when the root has not arrived, the earliest span whose parent is missing.
 */
export function summarize(trace: StoredTrace): TraceSummary {
  const ids = new Set(trace.spans.map((s) => s.span.spanId));
  let root: StoredTrace['spans'][number] | undefined;
  let rootIsTrueRoot = false;
  let minStart: bigint | undefined;
  let maxEnd: bigint | undefined;
  let errorSpanCount = 0;
  const services = new Map<string, ServiceSummary>();
  for (const stored of trace.spans) {
    const { span } = stored;
    const start = BigInt(span.startTimeUnixNano);
    const end = BigInt(span.endTimeUnixNano);
    if (minStart === undefined || start < minStart) minStart = start;
    if (maxEnd === undefined || end > maxEnd) maxEnd = end;
    const isError = span.status.code === StatusCode.ERROR;
    if (isError) errorSpanCount++;
    const name = trace.resources.get(stored.resourceId)?.service ?? '';
    const service = services.get(name) ?? { name, spanCount: 0, errorSpanCount: 0 };
    service.spanCount++;
    if (isError) service.errorSpanCount++;
    services.set(name, service);
    const isTrueRoot = span.parentSpanId === '';
    const isOrphan = !isTrueRoot && !ids.has(span.parentSpanId);
    if (!isTrueRoot && !isOrphan) continue;
    const better =
      !root ||
      (isTrueRoot && !rootIsTrueRoot) ||
      (isTrueRoot === rootIsTrueRoot && start < BigInt(root.span.startTimeUnixNano));
    if (better) {
      root = stored;
      rootIsTrueRoot = isTrueRoot;
    }
  }
  return {
    traceId: trace.traceId,
    rootServiceName: root ? (trace.resources.get(root.resourceId)?.service ?? '') : '',
    rootOperationName: root?.span.name ?? '',
    minStartTimeUnixNano: String(minStart ?? 0n),
    maxEndTimeUnixNano: String(maxEnd ?? 0n),
    spanCount: trace.spans.length,
    errorSpanCount,
    services: [...services.values()].sort((a, b) => a.name.localeCompare(b.name)),
  };
}
