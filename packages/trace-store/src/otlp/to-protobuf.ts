import type { AnyValue, InstrumentationScope, KeyValue, Resource, ResourceSpans, Span } from './model.js';
import { toLong, type PbAnyValue, type PbKeyValue, type PbResource, type PbResourceSpans, type PbScope, type PbSpan } from './pb.js';

/**
 * The normalised model (what the OTLP/JSON decoder reads) in the shapes
 * protobufjs decodes into (pb.ts), so spans that came as JSON go through the
 * same validation, sanitising and chunking as protobuf ones, and are stored
 * in the same bytes. The JSON decoder has already checked every id is empty
 * or hex of the right length.
 */
export function resourceSpansToPb(list: readonly ResourceSpans[]): PbResourceSpans[] {
  return list.map((rs) => ({
    resource: resourceToPb(rs.resource),
    schemaUrl: rs.schemaUrl,
    scopeSpans: rs.scopeSpans.map((ss) => ({ scope: scopeToPb(ss.scope), schemaUrl: ss.schemaUrl, spans: ss.spans.map(spanToPb) })),
  }));
}

const id = (hex: string) => Buffer.from(hex, 'hex');
const time = (decimal: string) => toLong(BigInt(decimal));

export function resourceToPb(r: Resource): PbResource {
  return { attributes: attributesToPb(r.attributes), droppedAttributesCount: r.droppedAttributesCount };
}

function scopeToPb(s: InstrumentationScope): PbScope {
  return { name: s.name, version: s.version, attributes: attributesToPb(s.attributes), droppedAttributesCount: s.droppedAttributesCount };
}

function spanToPb(s: Span): PbSpan {
  return {
    traceId: id(s.traceId),
    spanId: id(s.spanId),
    parentSpanId: id(s.parentSpanId),
    traceState: s.traceState,
    flags: s.flags,
    name: s.name,
    kind: s.kind,
    startTimeUnixNano: time(s.startTimeUnixNano),
    endTimeUnixNano: time(s.endTimeUnixNano),
    attributes: attributesToPb(s.attributes),
    droppedAttributesCount: s.droppedAttributesCount,
    events: s.events.map((e) => ({
      timeUnixNano: time(e.timeUnixNano),
      name: e.name,
      attributes: attributesToPb(e.attributes),
      droppedAttributesCount: e.droppedAttributesCount,
    })),
    droppedEventsCount: s.droppedEventsCount,
    links: s.links.map((l) => ({
      traceId: id(l.traceId),
      spanId: id(l.spanId),
      traceState: l.traceState,
      attributes: attributesToPb(l.attributes),
      droppedAttributesCount: l.droppedAttributesCount,
      flags: l.flags,
    })),
    droppedLinksCount: s.droppedLinksCount,
    status: { code: s.status.code, message: s.status.message },
  };
}

function attributesToPb(list: readonly KeyValue[]): PbKeyValue[] {
  return list.map((kv) => ({ key: kv.key, value: anyValueToPb(kv.value) }));
}

function anyValueToPb(v: AnyValue): PbAnyValue {
  if ('stringValue' in v) return { value: 'stringValue', stringValue: v.stringValue };
  if ('boolValue' in v) return { value: 'boolValue', boolValue: v.boolValue };
  if ('intValue' in v) return { value: 'intValue', intValue: toLong(BigInt(v.intValue), true) };
  if ('doubleValue' in v) return { value: 'doubleValue', doubleValue: v.doubleValue };
  if ('bytesValue' in v) return { value: 'bytesValue', bytesValue: Buffer.from(v.bytesValue, 'base64') };
  if ('arrayValue' in v) return { value: 'arrayValue', arrayValue: { values: v.arrayValue.values.map(anyValueToPb) } };
  if ('kvlistValue' in v) return { value: 'kvlistValue', kvlistValue: { values: attributesToPb(v.kvlistValue.values) } };
  return {};
}
