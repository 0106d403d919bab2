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
import { ExportLogsServiceRequest, ExportTraceServiceRequest } from './proto.js';

/**
 * Reads a binary protobuf ExportTraceServiceRequest into the normalised model.
 * The wire format is decoded by protobufjs from the OTLP .proto schema; this
 * file only maps the decoded messages (bytes ids to hex, 64-bit integers to
 * decimal strings). Id lengths are checked by validate.ts.
 */
export function decodeProtobufTraces(body: Uint8Array): ResourceSpans[] {
  let request: PbRequest;
  try {
    request = ExportTraceServiceRequest.decode(body) as unknown as PbRequest;
  } catch (e) {
    throw new MalformedRequestError(`body is not a protobuf ExportTraceServiceRequest: ${(e as Error).message}`);
  }
  return request.resourceSpans.map((rs) => ({
    resource: resource(rs.resource),
    schemaUrl: rs.schemaUrl,
    scopeSpans: rs.scopeSpans.map((ss) => ({
      scope: scope(ss.scope),
      schemaUrl: ss.schemaUrl,
      spans: ss.spans.map(span),
    })),
  }));
}

/** Reads a binary protobuf ExportLogsServiceRequest, by the same rules as decodeProtobufTraces. */
export function decodeProtobufLogs(body: Uint8Array): ResourceLogs[] {
  let request: PbLogsRequest;
  try {
    request = ExportLogsServiceRequest.decode(body) as unknown as PbLogsRequest;
  } catch (e) {
    throw new MalformedRequestError(`body is not a protobuf ExportLogsServiceRequest: ${(e as Error).message}`);
  }
  return request.resourceLogs.map((rl) => ({
    resource: resource(rl.resource),
    schemaUrl: rl.schemaUrl,
    scopeLogs: rl.scopeLogs.map((sl) => ({ scope: scope(sl.scope), schemaUrl: sl.schemaUrl, logRecords: sl.logRecords.map(logRecord) })),
  }));
}

// The shapes protobufjs decodes into (only the fields read here). Unset
// scalar fields read as their proto3 defaults through the message prototype.
type Int64 = number | { toString(): string };
interface PbKeyValue {
  key: string;
  value?: PbAnyValue | null;
}
interface PbAnyValue {
  value?: string; // the name of the oneof member that is set
  stringValue: string;
  boolValue: boolean;
  intValue: Int64;
  doubleValue: number;
  arrayValue?: { values: PbAnyValue[] };
  kvlistValue?: { values: PbKeyValue[] };
  bytesValue: Uint8Array;
}
interface PbSpan {
  traceId: Uint8Array;
  spanId: Uint8Array;
  parentSpanId: Uint8Array;
  traceState: string;
  flags: number;
  name: string;
  kind: number;
  startTimeUnixNano: Int64;
  endTimeUnixNano: Int64;
  attributes: PbKeyValue[];
  droppedAttributesCount: number;
  events: { timeUnixNano: Int64; name: string; attributes: PbKeyValue[]; droppedAttributesCount: number }[];
  droppedEventsCount: number;
  links: {
    traceId: Uint8Array;
    spanId: Uint8Array;
    traceState: string;
    attributes: PbKeyValue[];
    droppedAttributesCount: number;
    flags: number;
  }[];
  droppedLinksCount: number;
  status?: { code: number; message: string } | null;
}
type PbResource = { attributes: PbKeyValue[]; droppedAttributesCount: number } | null | undefined;
type PbScope = { name: string; version: string; attributes: PbKeyValue[]; droppedAttributesCount: number } | null | undefined;

interface PbRequest {
  resourceSpans: {
    resource?: PbResource;
    schemaUrl: string;
    scopeSpans: {
      scope?: PbScope;
      schemaUrl: string;
      spans: PbSpan[];
    }[];
  }[];
}

interface PbLogRecord {
  timeUnixNano: Int64;
  observedTimeUnixNano: Int64;
  severityNumber: number;
  severityText: string;
  body?: PbAnyValue | null;
  attributes: PbKeyValue[];
  droppedAttributesCount: number;
  flags: number;
  traceId: Uint8Array;
  spanId: Uint8Array;
  eventName: string;
}

interface PbLogsRequest {
  resourceLogs: {
    resource?: PbResource;
    schemaUrl: string;
    scopeLogs: { scope?: PbScope; schemaUrl: string; logRecords: PbLogRecord[] }[];
  }[];
}

/**
 * The bytes of a decoded `bytes` field. protobufjs leaves an unset one (a
 * root span's parent_span_id, say) at its prototype default, a plain empty
 * Array rather than a Uint8Array, so it has no `.buffer` to view.
 */
function bytesOf(bytes: Uint8Array | readonly number[]): Buffer {
  return bytes instanceof Uint8Array ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) : Buffer.from(bytes);
}

function hex(bytes: Uint8Array): string {
  return bytesOf(bytes).toString('hex');
}

/** A span or link id: empty or exactly `length` bytes, else the request is malformed (as for Jaeger's decoder). */
function spanIdField(bytes: Uint8Array, length: 8 | 16, field: string): string {
  const b = bytesOf(bytes);
  if (b.length !== 0 && b.length !== length) throw new MalformedRequestError(`${field}: expected ${length} bytes, got ${b.length}`);
  return b.toString('hex');
}

function base64(bytes: Uint8Array): string {
  return bytesOf(bytes).toString('base64');
}

function anyValue(v: PbAnyValue | null | undefined): AnyValue {
  switch (v?.value) {
    case 'stringValue':
      return { stringValue: v.stringValue };
    case 'boolValue':
      return { boolValue: v.boolValue };
    case 'intValue':
      return { intValue: v.intValue.toString() };
    case 'doubleValue':
      return { doubleValue: v.doubleValue };
    case 'arrayValue':
      return { arrayValue: { values: (v.arrayValue?.values ?? []).map(anyValue) } };
    case 'kvlistValue':
      return { kvlistValue: { values: attributes(v.kvlistValue?.values) } };
    case 'bytesValue':
      return { bytesValue: base64(v.bytesValue) };
    default:
      return {};
  }
}

function attributes(list: PbKeyValue[] | undefined): KeyValue[] {
  return list ? list.map((kv) => ({ key: kv.key, value: anyValue(kv.value) })) : [];
}

function resource(r: PbResource): Resource {
  return { attributes: attributes(r?.attributes), droppedAttributesCount: r?.droppedAttributesCount ?? 0 };
}

function scope(s: PbScope): InstrumentationScope {
  return {
    name: s?.name ?? '',
    version: s?.version ?? '',
    attributes: attributes(s?.attributes),
    droppedAttributesCount: s?.droppedAttributesCount ?? 0,
  };
}

function logRecord(r: PbLogRecord): LogRecord {
  return {
    timeUnixNano: r.timeUnixNano.toString(),
    observedTimeUnixNano: r.observedTimeUnixNano.toString(),
    severityNumber: r.severityNumber,
    severityText: r.severityText,
    body: anyValue(r.body),
    attributes: attributes(r.attributes),
    droppedAttributesCount: r.droppedAttributesCount,
    flags: r.flags,
    traceId: hex(r.traceId),
    spanId: hex(r.spanId),
    eventName: r.eventName,
  };
}

function span(s: PbSpan): Span {
  return {
    traceId: spanIdField(s.traceId, 16, 'span trace_id'),
    spanId: spanIdField(s.spanId, 8, 'span span_id'),
    parentSpanId: spanIdField(s.parentSpanId, 8, 'span parent_span_id'),
    traceState: s.traceState,
    flags: s.flags,
    name: s.name,
    kind: s.kind,
    startTimeUnixNano: s.startTimeUnixNano.toString(),
    endTimeUnixNano: s.endTimeUnixNano.toString(),
    attributes: attributes(s.attributes),
    droppedAttributesCount: s.droppedAttributesCount,
    events: s.events.map((e) => ({
      timeUnixNano: e.timeUnixNano.toString(),
      name: e.name,
      attributes: attributes(e.attributes),
      droppedAttributesCount: e.droppedAttributesCount,
    })),
    droppedEventsCount: s.droppedEventsCount,
    links: s.links.map((l) => ({
      traceId: spanIdField(l.traceId, 16, 'link trace_id'),
      spanId: spanIdField(l.spanId, 8, 'link span_id'),
      traceState: l.traceState,
      attributes: attributes(l.attributes),
      droppedAttributesCount: l.droppedAttributesCount,
      flags: l.flags,
    })),
    droppedLinksCount: s.droppedLinksCount,
    status: { code: s.status?.code ?? 0, message: s.status?.message ?? '' },
  };
}
