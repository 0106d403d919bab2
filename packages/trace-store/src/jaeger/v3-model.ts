import { StatusCode, type AnyValue, type KeyValue, type ResourceSpans } from '../otlp/model.js';

/**
 * Jaeger's api_v3 answers: traces as OTLP/JSON the way the OpenTelemetry
 * collector's pdata marshaller writes it (fields at their default value left
 * out, int64 as decimal strings, ids as hex, non-finite doubles as "NaN" and
 * "Infinity"), and trace summaries. Timestamps are nanoseconds, as in OTLP.
 */

type Json = Record<string, unknown>;

function keyValues(list: readonly KeyValue[]): Json[] {
  return list.map((kv) => ({ key: kv.key, value: anyValue(kv.value) }));
}

function anyValue(v: AnyValue): Json {
  if ('arrayValue' in v) return { arrayValue: v.arrayValue.values.length > 0 ? { values: v.arrayValue.values.map(anyValue) } : {} };
  if ('kvlistValue' in v) return { kvlistValue: v.kvlistValue.values.length > 0 ? { values: keyValues(v.kvlistValue.values) } : {} };
  if ('doubleValue' in v && !Number.isFinite(v.doubleValue)) {
    return { doubleValue: Number.isNaN(v.doubleValue) ? 'NaN' : v.doubleValue > 0 ? 'Infinity' : '-Infinity' };
  }
  return v;
}

/** Sets `key` only when the value is not proto3's default for its type. */
function put(target: Json, key: string, value: unknown): void {
  if (value === '' || value === 0 || value === '0' || value === undefined) return;
  if (Array.isArray(value) && value.length === 0) return;
  target[key] = value;
}

function spansJson(spans: ResourceSpans['scopeSpans'][number]['spans']): Json[] {
  return spans.map((span) => {
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
  });
}

/** Traces (each in the layout of stored-layout.ts) as one OTLP TracesData, trace after trace. */
export function toTracesData(traces: readonly ResourceSpans[][]): { resourceSpans: Json[] } {
  return {
    resourceSpans: traces.flat().map((rs) => {
      const resource: Json = {};
      put(resource, 'attributes', keyValues(rs.resource.attributes));
      put(resource, 'droppedAttributesCount', rs.resource.droppedAttributesCount);
      const out: Json = { resource };
      put(
        out,
        'scopeSpans',
        rs.scopeSpans.map((ss) => {
          const scope: Json = {};
          put(scope, 'name', ss.scope.name);
          put(scope, 'version', ss.scope.version);
          put(scope, 'attributes', keyValues(ss.scope.attributes));
          put(scope, 'droppedAttributesCount', ss.scope.droppedAttributesCount);
          const scopeSpans: Json = { scope };
          put(scopeSpans, 'spans', spansJson(ss.spans));
          return scopeSpans;
        }),
      );
      return out;
    }),
  };
}

export interface ServiceSummary {
  name: string;
  spanCount: number;
  errorSpanCount: number;
}

/** A trace summary as Jaeger 2.20 answers /api/v3/trace-summaries with. */
export interface TraceSummary {
  traceId: string;
  rootServiceName: string;
  rootOperationName: string;
  minStartTimeUnixNano?: string;
  maxEndTimeUnixNano?: string;
  spanCount: number;
  errorSpanCount: number;
  orphanSpanCount: number;
  services: ServiceSummary[];
}

/**
 * A trace's summary, from its adjusted spans, as Jaeger 2.20 computes it:
 * the root is the earliest span without a parent (none: empty names), an
 * orphan is a span whose parent is not in the trace, services are sorted by
 * name.
 */
export function summarize(traceId: string, trace: readonly ResourceSpans[]): TraceSummary {
  const ids = new Set<string>();
  for (const rs of trace) for (const ss of rs.scopeSpans) for (const span of ss.spans) ids.add(span.spanId);
  let root: { service: string; name: string; start: bigint } | undefined;
  let minStart: bigint | undefined;
  let maxEnd: bigint | undefined;
  let spanCount = 0;
  let errorSpanCount = 0;
  let orphanSpanCount = 0;
  const services = new Map<string, ServiceSummary>();
  for (const rs of trace) {
    const nameAttr = rs.resource.attributes.find((kv) => kv.key === 'service.name');
    const service = nameAttr && 'stringValue' in nameAttr.value ? nameAttr.value.stringValue : '';
    for (const ss of rs.scopeSpans) {
      for (const span of ss.spans) {
        const start = BigInt(span.startTimeUnixNano);
        const end = BigInt(span.endTimeUnixNano);
        if (minStart === undefined || start < minStart) minStart = start;
        if (maxEnd === undefined || end > maxEnd) maxEnd = end;
        const summary = services.get(service) ?? { name: service, spanCount: 0, errorSpanCount: 0 };
        summary.spanCount++;
        spanCount++;
        if (span.status.code === StatusCode.ERROR) {
          summary.errorSpanCount++;
          errorSpanCount++;
        }
        services.set(service, summary);
        if (span.parentSpanId === '') {
          if (!root || start < root.start) root = { service, name: span.name, start };
        } else if (!ids.has(span.parentSpanId)) orphanSpanCount++;
      }
    }
  }
  const out: TraceSummary = { traceId, rootServiceName: root?.service ?? '', rootOperationName: root?.name ?? '', spanCount, errorSpanCount, orphanSpanCount, services: [] };
  if (minStart !== undefined && minStart > 0n) out.minStartTimeUnixNano = minStart.toString();
  if (maxEnd !== undefined && maxEnd > 0n) out.maxEndTimeUnixNano = maxEnd.toString();
  out.services = [...services.values()].sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
  return out;
}
