import {
  MalformedRequestError,
  type AnyValue,
  type InstrumentationScope,
  type KeyValue,
  type LogRecord,
  type Resource,
  type ResourceLogs,
  type ResourceSpans,
  type ScopeLogs,
  type ScopeSpans,
  type Span,
  type SpanEvent,
  type SpanLink,
} from './model.js';

/**
 * Reads an OTLP/JSON ExportTraceServiceRequest (OTLP spec, "JSON Protobuf
 * Encoding"): lowerCamelCase keys, trace and span ids as hex strings, enums as
 * integers (enum names are accepted too), int64 as decimal strings or numbers.
 * Unknown fields are ignored, as the spec requires. A value of the wrong type
 * is a malformed request; the error names the JSON path of the first one.
 * Span and link ids must be empty or of their exact length (else the request
 * is malformed, as for Jaeger); zero ids are refused per span by validate.ts.
 */
export function decodeJsonTraces(text: string): ResourceSpans[] {
  const request = object(parseJson(text), '$');
  return list(request.resourceSpans, '$.resourceSpans', resourceSpans);
}

/** Reads an OTLP/JSON ExportLogsServiceRequest, by the same rules as decodeJsonTraces. */
export function decodeJsonLogs(text: string): ResourceLogs[] {
  const request = object(parseJson(text), '$');
  return list(request.resourceLogs, '$.resourceLogs', resourceLogs);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new MalformedRequestError(`body is not valid JSON: ${(e as Error).message}`);
  }
}

type Json = Record<string, unknown>;

function fail(path: string, expected: string, got: unknown): never {
  const shown = JSON.stringify(got);
  const brief = shown === undefined ? String(got) : shown.length > 40 ? `${shown.slice(0, 40)}...` : shown;
  throw new MalformedRequestError(`${path}: expected ${expected}, got ${brief}`);
}

function object(value: unknown, path: string): Json {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(path, 'an object', value);
  return value as Json;
}

function optionalObject(value: unknown, path: string): Json {
  return value === undefined || value === null ? {} : object(value, path);
}

function list<T>(value: unknown, path: string, item: (v: unknown, path: string) => T): T[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) fail(path, 'an array', value);
  return value.map((v, i) => item(v, `${path}[${i}]`));
}

function string(value: unknown, path: string): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') fail(path, 'a string', value);
  return value;
}

function uint(value: unknown, path: string): number {
  if (value === undefined || value === null) return 0;
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) fail(path, 'a non-negative integer', value);
  return n;
}

const SIGNED_RANGE = [-(2n ** 63n), 2n ** 63n - 1n] as const;
const UNSIGNED_RANGE = [0n, 2n ** 64n - 1n] as const;
const SIGNED_DIGITS = /^-?\d{1,20}$/;
const UNSIGNED_DIGITS = /^\d{1,20}$/;

/** int64/uint64/fixed64 as a canonical decimal string. */
function int64(value: unknown, path: string, signed: boolean): string {
  if (value === undefined || value === null) return '0';
  if (typeof value === 'number' && Number.isSafeInteger(value) && (signed || value >= 0)) return String(value);
  if (typeof value === 'string' && (signed ? SIGNED_DIGITS : UNSIGNED_DIGITS).test(value)) {
    const n = BigInt(value);
    const [min, max] = signed ? SIGNED_RANGE : UNSIGNED_RANGE;
    if (n >= min && n <= max) return n.toString();
  }
  return fail(path, signed ? 'a 64-bit integer (string or number)' : 'an unsigned 64-bit integer (string or number)', value);
}

function hexId(value: unknown, path: string): string {
  return string(value, path).toLowerCase();
}

/**
 * A span or link id: empty, or exactly `bytes` bytes of hex. Anything else
 * fails the whole request, as in the OpenTelemetry collector's decoder (and
 * so Jaeger's); an all-zero id is left to validate.ts.
 */
const HEX_ID = { 8: /^[0-9a-f]{16}$/, 16: /^[0-9a-f]{32}$/ } as const;

function spanIdField(value: unknown, path: string, bytes: 8 | 16): string {
  const id = hexId(value, path);
  if (id !== '' && !HEX_ID[bytes].test(id)) fail(path, `${bytes * 2} hex digits`, value);
  return id;
}

function enumValue(value: unknown, path: string, names: readonly string[]): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'string') {
    const index = names.indexOf(value);
    if (index >= 0) return index;
  }
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  return fail(path, `an enum integer or one of ${names.join(', ')}`, value);
}

const SPAN_KIND_NAMES = [
  'SPAN_KIND_UNSPECIFIED',
  'SPAN_KIND_INTERNAL',
  'SPAN_KIND_SERVER',
  'SPAN_KIND_CLIENT',
  'SPAN_KIND_PRODUCER',
  'SPAN_KIND_CONSUMER',
] as const;
const STATUS_CODE_NAMES = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'] as const;

const SEVERITY_NUMBER_NAMES = [
  'SEVERITY_NUMBER_UNSPECIFIED',
  ...['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'].flatMap((level) =>
    ['', '2', '3', '4'].map((n) => `SEVERITY_NUMBER_${level}${n}`),
  ),
];

function anyValue(value: unknown, path: string): AnyValue {
  const v = optionalObject(value, path);
  if (v.stringValue !== undefined) return { stringValue: string(v.stringValue, `${path}.stringValue`) };
  if (v.boolValue !== undefined) {
    if (typeof v.boolValue !== 'boolean') fail(`${path}.boolValue`, 'a boolean', v.boolValue);
    return { boolValue: v.boolValue };
  }
  if (v.intValue !== undefined) return { intValue: int64(v.intValue, `${path}.intValue`, true) };
  if (v.doubleValue !== undefined) {
    const d = v.doubleValue;
    // Proto3 JSON writes NaN and the infinities as strings.
    if (typeof d === 'number') return { doubleValue: d };
    if (d === 'NaN' || d === 'Infinity' || d === '-Infinity') return { doubleValue: Number(d) };
    return fail(`${path}.doubleValue`, 'a number', d);
  }
  if (v.arrayValue !== undefined) {
    const a = object(v.arrayValue, `${path}.arrayValue`);
    return { arrayValue: { values: list(a.values, `${path}.arrayValue.values`, anyValue) } };
  }
  if (v.kvlistValue !== undefined) {
    const kv = object(v.kvlistValue, `${path}.kvlistValue`);
    return { kvlistValue: { values: list(kv.values, `${path}.kvlistValue.values`, keyValue) } };
  }
  if (v.bytesValue !== undefined) {
    const b = string(v.bytesValue, `${path}.bytesValue`);
    if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(b)) fail(`${path}.bytesValue`, 'base64', b);
    return { bytesValue: b };
  }
  return {};
}

function keyValue(value: unknown, path: string): KeyValue {
  const kv = object(value, path);
  return { key: string(kv.key, `${path}.key`), value: anyValue(kv.value, `${path}.value`) };
}

function attributes(value: unknown, path: string): KeyValue[] {
  return list(value, path, keyValue);
}

function resource(value: unknown, path: string): Resource {
  const r = optionalObject(value, path);
  return {
    attributes: attributes(r.attributes, `${path}.attributes`),
    droppedAttributesCount: uint(r.droppedAttributesCount, `${path}.droppedAttributesCount`),
  };
}

function scope(value: unknown, path: string): InstrumentationScope {
  const s = optionalObject(value, path);
  return {
    name: string(s.name, `${path}.name`),
    version: string(s.version, `${path}.version`),
    attributes: attributes(s.attributes, `${path}.attributes`),
    droppedAttributesCount: uint(s.droppedAttributesCount, `${path}.droppedAttributesCount`),
  };
}

function event(value: unknown, path: string): SpanEvent {
  const e = object(value, path);
  return {
    timeUnixNano: int64(e.timeUnixNano, `${path}.timeUnixNano`, false),
    name: string(e.name, `${path}.name`),
    attributes: attributes(e.attributes, `${path}.attributes`),
    droppedAttributesCount: uint(e.droppedAttributesCount, `${path}.droppedAttributesCount`),
  };
}

function link(value: unknown, path: string): SpanLink {
  const l = object(value, path);
  return {
    traceId: spanIdField(l.traceId, `${path}.traceId`, 16),
    spanId: spanIdField(l.spanId, `${path}.spanId`, 8),
    traceState: string(l.traceState, `${path}.traceState`),
    attributes: attributes(l.attributes, `${path}.attributes`),
    droppedAttributesCount: uint(l.droppedAttributesCount, `${path}.droppedAttributesCount`),
    flags: uint(l.flags, `${path}.flags`),
  };
}

function span(value: unknown, path: string): Span {
  const s = object(value, path);
  const status = optionalObject(s.status, `${path}.status`);
  return {
    traceId: spanIdField(s.traceId, `${path}.traceId`, 16),
    spanId: spanIdField(s.spanId, `${path}.spanId`, 8),
    parentSpanId: spanIdField(s.parentSpanId, `${path}.parentSpanId`, 8),
    traceState: string(s.traceState, `${path}.traceState`),
    flags: uint(s.flags, `${path}.flags`),
    name: string(s.name, `${path}.name`),
    kind: enumValue(s.kind, `${path}.kind`, SPAN_KIND_NAMES),
    startTimeUnixNano: int64(s.startTimeUnixNano, `${path}.startTimeUnixNano`, false),
    endTimeUnixNano: int64(s.endTimeUnixNano, `${path}.endTimeUnixNano`, false),
    attributes: attributes(s.attributes, `${path}.attributes`),
    droppedAttributesCount: uint(s.droppedAttributesCount, `${path}.droppedAttributesCount`),
    events: list(s.events, `${path}.events`, event),
    droppedEventsCount: uint(s.droppedEventsCount, `${path}.droppedEventsCount`),
    links: list(s.links, `${path}.links`, link),
    droppedLinksCount: uint(s.droppedLinksCount, `${path}.droppedLinksCount`),
    status: {
      code: enumValue(status.code, `${path}.status.code`, STATUS_CODE_NAMES),
      message: string(status.message, `${path}.status.message`),
    },
  };
}

function scopeSpans(value: unknown, path: string): ScopeSpans {
  const ss = object(value, path);
  return {
    scope: scope(ss.scope, `${path}.scope`),
    schemaUrl: string(ss.schemaUrl, `${path}.schemaUrl`),
    spans: list(ss.spans, `${path}.spans`, span),
  };
}

function resourceSpans(value: unknown, path: string): ResourceSpans {
  const rs = object(value, path);
  return {
    resource: resource(rs.resource, `${path}.resource`),
    schemaUrl: string(rs.schemaUrl, `${path}.schemaUrl`),
    scopeSpans: list(rs.scopeSpans, `${path}.scopeSpans`, scopeSpans),
  };
}

function logRecord(value: unknown, path: string): LogRecord {
  const r = object(value, path);
  return {
    timeUnixNano: int64(r.timeUnixNano, `${path}.timeUnixNano`, false),
    observedTimeUnixNano: int64(r.observedTimeUnixNano, `${path}.observedTimeUnixNano`, false),
    severityNumber: enumValue(r.severityNumber, `${path}.severityNumber`, SEVERITY_NUMBER_NAMES),
    severityText: string(r.severityText, `${path}.severityText`),
    body: anyValue(r.body, `${path}.body`),
    attributes: attributes(r.attributes, `${path}.attributes`),
    droppedAttributesCount: uint(r.droppedAttributesCount, `${path}.droppedAttributesCount`),
    flags: uint(r.flags, `${path}.flags`),
    traceId: hexId(r.traceId, `${path}.traceId`),
    spanId: hexId(r.spanId, `${path}.spanId`),
    eventName: string(r.eventName, `${path}.eventName`),
  };
}

function scopeLogs(value: unknown, path: string): ScopeLogs {
  const sl = object(value, path);
  return {
    scope: scope(sl.scope, `${path}.scope`),
    schemaUrl: string(sl.schemaUrl, `${path}.schemaUrl`),
    logRecords: list(sl.logRecords, `${path}.logRecords`, logRecord),
  };
}

function resourceLogs(value: unknown, path: string): ResourceLogs {
  const rl = object(value, path);
  return {
    resource: resource(rl.resource, `${path}.resource`),
    schemaUrl: string(rl.schemaUrl, `${path}.schemaUrl`),
    scopeLogs: list(rl.scopeLogs, `${path}.scopeLogs`, scopeLogs),
  };
}
