import {
  MalformedRequestError,
  type AnyValue,
  type InstrumentationScope,
  type KeyValue,
  type LogRecord,
  type ResourceLogs,
  type Resource,
  type ResourceSpans,
  type Span,
} from './model.js';
import { bytesOf, hexOf, i64, SENT_BYTES, u64, type Bytes, type PbAnyValue, type PbKeyValue, type PbLogRecord, type PbResource, type PbResourceLogs, type PbResourceSpans, type PbScope, type PbScopeSpans, type PbSpan } from './pb.js';
import { ExportLogsServiceRequest, ExportTraceServiceRequest, ExportTraceServiceRequestRaw, Span as SpanType } from './proto.js';

/**
 * Reads a binary protobuf ExportTraceServiceRequest into the normalised model.
 * The wire format is decoded by protobufjs from the OTLP .proto schema; this
 * file only maps the decoded messages (bytes ids to hex, 64-bit integers to
 * decimal strings). Id lengths are checked by validate.ts.
 */
export function decodeProtobufTraces(body: Uint8Array): ResourceSpans[] {
  return decodeProtobufTracesPb(body).map(resourceSpansToModel);
}

/** Reads a binary protobuf ExportLogsServiceRequest, by the same rules as decodeProtobufTraces. */
export function decodeProtobufLogs(body: Uint8Array): ResourceLogs[] {
  let request: { resourceLogs: PbResourceLogs[] };
  try {
    request = ExportLogsServiceRequest.decode(body) as unknown as { resourceLogs: PbResourceLogs[] };
  } catch (e) {
    throw new MalformedRequestError(`body is not a protobuf ExportLogsServiceRequest: ${(e as Error).message}`);
  }
  return request.resourceLogs.map((rl) => ({
    resource: resource(rl.resource),
    schemaUrl: rl.schemaUrl,
    scopeLogs: rl.scopeLogs.map((sl) => ({ scope: scope(sl.scope), schemaUrl: sl.schemaUrl, logRecords: sl.logRecords.map(logRecord) })),
  }));
}

/**
 * A span or link id: empty or exactly `length` bytes, else the request is
 * malformed (as for Jaeger's decoder).
 */
function checkId(bytes: Bytes, length: 8 | 16, field: string): void {
  if (bytes.length !== 0 && bytes.length !== length) throw new MalformedRequestError(`${field}: expected ${length} bytes, got ${bytes.length}`);
}

/**
 * Reads a binary protobuf ExportTraceServiceRequest as protobufjs decodes
 * it, for the ingest path, which works on those messages directly (see
 * pb.ts). The span and link id lengths are checked here; the rest of what
 * makes a span storable is validate.ts's.
 */
export function decodeProtobufTracesPb(body: Uint8Array): PbResourceSpans[] {
  let request: { resourceSpans: PbResourceSpans[] };
  try {
    request = ExportTraceServiceRequest.decode(body) as unknown as { resourceSpans: PbResourceSpans[] };
  } catch (e) {
    throw new MalformedRequestError(`body is not a protobuf ExportTraceServiceRequest: ${(e as Error).message}`);
  }
  checkIds(request.resourceSpans);
  return request.resourceSpans;
}


interface RawRequest {
  resourceSpans: { resource?: PbResourceSpans['resource']; schemaUrl: string; scopeSpans: { scope?: PbScopeSpans['scope']; schemaUrl: string; spans: Uint8Array[] }[] }[];
}

/**
 * decodeProtobufTracesPb for the ingest path, which also keeps each span's
 * bytes as sent (under SENT_BYTES, a view into the body) so a chunk can be
 * written from them without encoding the span again: the request is read
 * with a schema that holds each span as `bytes` (wire-compatible, see
 * proto/tracelens/store/v1/chunk.proto), then each span is decoded from its
 * bytes. Both are protobufjs decoders.
 */
export function decodeProtobufTracesWithBytes(body: Uint8Array): PbResourceSpans[] {
  let resourceSpans: PbResourceSpans[];
  try {
    const request = ExportTraceServiceRequestRaw.decode(body) as unknown as RawRequest;
    resourceSpans = request.resourceSpans.map((rs) => ({
      resource: rs.resource,
      schemaUrl: rs.schemaUrl,
      scopeSpans: rs.scopeSpans.map((ss) => ({
        scope: ss.scope,
        schemaUrl: ss.schemaUrl,
        spans: ss.spans.map((raw) => {
          const span = SpanType.decode(raw) as unknown as PbSpan;
          span[SENT_BYTES] = raw;
          return span;
        }),
      })),
    }));
  } catch (e) {
    throw new MalformedRequestError(`body is not a protobuf ExportTraceServiceRequest: ${(e as Error).message}`);
  }
  checkIds(resourceSpans);
  return resourceSpans;
}

function checkIds(resourceSpans: readonly PbResourceSpans[]): void {
  for (const rs of resourceSpans)
    for (const ss of rs.scopeSpans)
      for (const s of ss.spans) {
        checkId(s.traceId, 16, 'span trace_id');
        checkId(s.spanId, 8, 'span span_id');
        checkId(s.parentSpanId, 8, 'span parent_span_id');
        for (const l of s.links) {
          checkId(l.traceId, 16, 'link trace_id');
          checkId(l.spanId, 8, 'link span_id');
        }
      }
}

/** Protobuf-decoded ResourceSpans (see pb.ts) in the normalised model: fresh objects. */
export function resourceSpansToModel(rs: PbResourceSpans): ResourceSpans {
  return {
    resource: resource(rs.resource),
    schemaUrl: rs.schemaUrl,
    scopeSpans: rs.scopeSpans.map((ss) => ({ scope: scope(ss.scope), schemaUrl: ss.schemaUrl, spans: ss.spans.map(span) })),
  };
}

function base64(bytes: Bytes): string {
  return bytesOf(bytes).toString('base64');
}

/** A protobuf-decoded AnyValue (see pb.ts) in the normalised model. */
export function anyValue(v: PbAnyValue | null | undefined): AnyValue {
  switch (v?.value) {
    case 'stringValue':
      return { stringValue: v.stringValue ?? '' };
    case 'boolValue':
      return { boolValue: v.boolValue ?? false };
    case 'intValue':
      return { intValue: i64(v.intValue ?? 0).toString() };
    case 'doubleValue':
      return { doubleValue: v.doubleValue ?? 0 };
    case 'arrayValue':
      return { arrayValue: { values: (v.arrayValue?.values ?? []).map(anyValue) } };
    case 'kvlistValue':
      return { kvlistValue: { values: attributes(v.kvlistValue?.values) } };
    case 'bytesValue':
      return { bytesValue: base64(v.bytesValue ?? []) };
    default:
      return {};
  }
}

function attributes(list: PbKeyValue[] | undefined): KeyValue[] {
  return list ? list.map((kv) => ({ key: kv.key, value: anyValue(kv.value) })) : [];
}

export function resource(r: PbResource | null | undefined): Resource {
  return { attributes: attributes(r?.attributes), droppedAttributesCount: r?.droppedAttributesCount ?? 0 };
}

export function scope(s: PbScope | null | undefined): InstrumentationScope {
  return {
    name: s?.name ?? '',
    version: s?.version ?? '',
    attributes: attributes(s?.attributes),
    droppedAttributesCount: s?.droppedAttributesCount ?? 0,
  };
}

function logRecord(r: PbLogRecord): LogRecord {
  return {
    timeUnixNano: u64(r.timeUnixNano).toString(),
    observedTimeUnixNano: u64(r.observedTimeUnixNano).toString(),
    severityNumber: r.severityNumber,
    severityText: r.severityText,
    body: anyValue(r.body),
    attributes: attributes(r.attributes),
    droppedAttributesCount: r.droppedAttributesCount,
    flags: r.flags,
    traceId: hexOf(r.traceId),
    spanId: hexOf(r.spanId),
    eventName: r.eventName,
  };
}

/** A protobuf-decoded span (see pb.ts) in the normalised model. */
export function span(s: PbSpan): Span {
  return {
    traceId: hexOf(s.traceId),
    spanId: hexOf(s.spanId),
    parentSpanId: hexOf(s.parentSpanId),
    traceState: s.traceState,
    flags: s.flags,
    name: s.name,
    kind: s.kind,
    startTimeUnixNano: u64(s.startTimeUnixNano).toString(),
    endTimeUnixNano: u64(s.endTimeUnixNano).toString(),
    attributes: attributes(s.attributes),
    droppedAttributesCount: s.droppedAttributesCount,
    events: s.events.map((e) => ({
      timeUnixNano: u64(e.timeUnixNano).toString(),
      name: e.name,
      attributes: attributes(e.attributes),
      droppedAttributesCount: e.droppedAttributesCount,
    })),
    droppedEventsCount: s.droppedEventsCount,
    links: s.links.map((l) => ({
      traceId: hexOf(l.traceId),
      spanId: hexOf(l.spanId),
      traceState: l.traceState,
      attributes: attributes(l.attributes),
      droppedAttributesCount: l.droppedAttributesCount,
      flags: l.flags,
    })),
    droppedLinksCount: s.droppedLinksCount,
    status: { code: s.status?.code ?? 0, message: s.status?.message ?? '' },
  };
}
