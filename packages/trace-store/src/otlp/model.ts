/**
 * The receiver's normalised view of OTLP trace data: the OTLP/JSON shape
 * (lowerCamelCase, hex ids, enums as integers) with every field present and
 * every int64 as a decimal string, whichever encoding it arrived in.
 * Timestamps are nanoseconds since the Unix epoch, as in OTLP.
 */

export type AnyValue =
  | { stringValue: string }
  | { boolValue: boolean }
  | { intValue: string }
  | { doubleValue: number }
  | { arrayValue: { values: AnyValue[] } }
  | { kvlistValue: { values: KeyValue[] } }
  | { bytesValue: string } // base64, as in OTLP/JSON
  | Record<string, never>; // an AnyValue with no value set

export interface KeyValue {
  key: string;
  value: AnyValue;
}

export interface Resource {
  attributes: KeyValue[];
  droppedAttributesCount: number;
}

export interface InstrumentationScope {
  name: string;
  version: string;
  attributes: KeyValue[];
  droppedAttributesCount: number;
}

export interface SpanEvent {
  timeUnixNano: string;
  name: string;
  attributes: KeyValue[];
  droppedAttributesCount: number;
}

export interface SpanLink {
  traceId: string;
  spanId: string;
  traceState: string;
  attributes: KeyValue[];
  droppedAttributesCount: number;
  flags: number;
}

export const SpanKind = {
  UNSPECIFIED: 0,
  INTERNAL: 1,
  SERVER: 2,
  CLIENT: 3,
  PRODUCER: 4,
  CONSUMER: 5,
} as const;

export const StatusCode = { UNSET: 0, OK: 1, ERROR: 2 } as const;

export interface Span {
  traceId: string; // 32 lowercase hex digits
  spanId: string; // 16 lowercase hex digits
  parentSpanId: string; // '' for a root span
  traceState: string;
  flags: number;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: KeyValue[];
  droppedAttributesCount: number;
  events: SpanEvent[];
  droppedEventsCount: number;
  links: SpanLink[];
  droppedLinksCount: number;
  status: { code: number; message: string };
}

export interface ScopeSpans {
  scope: InstrumentationScope;
  schemaUrl: string;
  spans: Span[];
}

export interface ResourceSpans {
  resource: Resource;
  schemaUrl: string;
  scopeSpans: ScopeSpans[];
}

/**
 * An OTLP log record. `traceId`/`spanId` are '' when the record was not
 * emitted inside a trace. `timeUnixNano` is '0' when the source gave no
 * event time; the store then falls back to `observedTimeUnixNano`.
 */
export interface LogRecord {
  timeUnixNano: string;
  observedTimeUnixNano: string;
  severityNumber: number; // OTLP SeverityNumber, 0 = unspecified
  severityText: string;
  body: AnyValue;
  attributes: KeyValue[];
  droppedAttributesCount: number;
  flags: number;
  traceId: string; // '' or 32 lowercase hex digits
  spanId: string; // '' or 16 lowercase hex digits
  eventName: string;
}

export interface ScopeLogs {
  scope: InstrumentationScope;
  schemaUrl: string;
  logRecords: LogRecord[];
}

export interface ResourceLogs {
  resource: Resource;
  schemaUrl: string;
  scopeLogs: ScopeLogs[];
}

/** Items dropped at the edge of one export request, for its partialSuccess. */
export interface Rejections {
  rejected: number;
  /** One line per distinct reason, for partialSuccess.errorMessage. */
  reasons: string[];
}

/** Thrown for a body that cannot be read as an export request at all (answered 400). */
export class MalformedRequestError extends Error {
  override readonly name = 'MalformedRequestError';
}

export function spanCount(resourceSpans: readonly ResourceSpans[]): number {
  let n = 0;
  for (const rs of resourceSpans) for (const ss of rs.scopeSpans) n += ss.spans.length;
  return n;
}

export function logRecordCount(resourceLogs: readonly ResourceLogs[]): number {
  let n = 0;
  for (const rl of resourceLogs) for (const sl of rl.scopeLogs) n += sl.logRecords.length;
  return n;
}

export function attributeString(attributes: readonly KeyValue[], key: string): string | undefined {
  for (const kv of attributes) {
    if (kv.key === key && 'stringValue' in kv.value) return kv.value.stringValue;
  }
  return undefined;
}

/** Jaeger's name for a resource without `service.name`. */
export const NO_SERVICE_NAME = 'OTLPResourceNoServiceName';

export function serviceNameOf(resource: Resource): string {
  return attributeString(resource.attributes, 'service.name') || NO_SERVICE_NAME;
}
