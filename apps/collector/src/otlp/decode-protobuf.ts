import {
  MalformedRequestError,
  type AnyValue,
  type KeyValue,
  type ResourceSpans,
  type Span,
} from './model.js';
import { ExportTraceServiceRequest } from './proto.js';

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
    resource: {
      attributes: attributes(rs.resource?.attributes),
      droppedAttributesCount: rs.resource?.droppedAttributesCount ?? 0,
    },
    schemaUrl: rs.schemaUrl,
    scopeSpans: rs.scopeSpans.map((ss) => ({
      scope: {
        name: ss.scope?.name ?? '',
        version: ss.scope?.version ?? '',
        attributes: attributes(ss.scope?.attributes),
        droppedAttributesCount: ss.scope?.droppedAttributesCount ?? 0,
      },
      schemaUrl: ss.schemaUrl,
      spans: ss.spans.map(span),
    })),
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
interface PbRequest {
  resourceSpans: {
    resource?: { attributes: PbKeyValue[]; droppedAttributesCount: number } | null;
    schemaUrl: string;
    scopeSpans: {
      scope?: { name: string; version: string; attributes: PbKeyValue[]; droppedAttributesCount: number } | null;
      schemaUrl: string;
      spans: PbSpan[];
    }[];
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

function span(s: PbSpan): Span {
  return {
    traceId: hex(s.traceId),
    spanId: hex(s.spanId),
    parentSpanId: hex(s.parentSpanId),
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
      traceId: hex(l.traceId),
      spanId: hex(l.spanId),
      traceState: l.traceState,
      attributes: attributes(l.attributes),
      droppedAttributesCount: l.droppedAttributesCount,
      flags: l.flags,
    })),
    droppedLinksCount: s.droppedLinksCount,
    status: { code: s.status?.code ?? 0, message: s.status?.message ?? '' },
  };
}
