import type { AnyValue, KeyValue, ResourceSpans } from '../../src/otlp/model.js';

/**
 * The collector's decoded model back to OTLP/JSON text: what the corpus
 * keeps of a recorded export. Every field is written as OTLP/JSON spells it
 * (hex ids, int64 as decimal strings, non-finite doubles as strings); fields
 * at their default value are left out, as SDK exporters do.
 */

type Json = Record<string, unknown>;

function value(v: AnyValue): Json {
  if ('doubleValue' in v && !Number.isFinite(v.doubleValue)) return { doubleValue: String(v.doubleValue) };
  if ('arrayValue' in v) return { arrayValue: { values: v.arrayValue.values.map(value) } };
  if ('kvlistValue' in v) return { kvlistValue: { values: attributes(v.kvlistValue.values) } };
  return v;
}

const attributes = (list: readonly KeyValue[]): Json[] => list.map((kv) => ({ key: kv.key, value: value(kv.value) }));

function put(target: Json, key: string, v: unknown): void {
  if (v === '' || v === 0 || v === '0' || v === undefined || (Array.isArray(v) && v.length === 0)) return;
  target[key] = v;
}

export function toOtlpJson(resourceSpans: readonly ResourceSpans[]): Json {
  return {
    resourceSpans: resourceSpans.map((rs) => {
      const resource: Json = {};
      put(resource, 'attributes', attributes(rs.resource.attributes));
      put(resource, 'droppedAttributesCount', rs.resource.droppedAttributesCount);
      const out: Json = { resource };
      out.scopeSpans = rs.scopeSpans.map((ss) => {
        const scope: Json = {};
        put(scope, 'name', ss.scope.name);
        put(scope, 'version', ss.scope.version);
        put(scope, 'attributes', attributes(ss.scope.attributes));
        put(scope, 'droppedAttributesCount', ss.scope.droppedAttributesCount);
        const scopeSpans: Json = { scope };
        scopeSpans.spans = ss.spans.map((s) => {
          const span: Json = { traceId: s.traceId, spanId: s.spanId };
          put(span, 'traceState', s.traceState);
          put(span, 'parentSpanId', s.parentSpanId);
          put(span, 'flags', s.flags);
          span.name = s.name;
          span.kind = s.kind;
          span.startTimeUnixNano = s.startTimeUnixNano;
          span.endTimeUnixNano = s.endTimeUnixNano;
          put(span, 'attributes', attributes(s.attributes));
          put(span, 'droppedAttributesCount', s.droppedAttributesCount);
          put(
            span,
            'events',
            s.events.map((e) => {
              const event: Json = { timeUnixNano: e.timeUnixNano };
              put(event, 'name', e.name);
              put(event, 'attributes', attributes(e.attributes));
              put(event, 'droppedAttributesCount', e.droppedAttributesCount);
              return event;
            }),
          );
          put(span, 'droppedEventsCount', s.droppedEventsCount);
          put(
            span,
            'links',
            s.links.map((l) => {
              const link: Json = { traceId: l.traceId, spanId: l.spanId };
              put(link, 'traceState', l.traceState);
              put(link, 'attributes', attributes(l.attributes));
              put(link, 'droppedAttributesCount', l.droppedAttributesCount);
              put(link, 'flags', l.flags);
              return link;
            }),
          );
          put(span, 'droppedLinksCount', s.droppedLinksCount);
          const status: Json = {};
          put(status, 'message', s.status.message);
          put(status, 'code', s.status.code);
          span.status = status;
          return span;
        });
        put(scopeSpans, 'schemaUrl', ss.schemaUrl);
        return scopeSpans;
      });
      put(out, 'schemaUrl', rs.schemaUrl);
      return out;
    }),
  };
}
