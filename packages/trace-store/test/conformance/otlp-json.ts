/**
 * Small builders for OTLP/JSON export requests (the spec's "JSON Protobuf
 * Encoding": hex ids, lowerCamelCase keys, int64 as decimal strings, enums as
 * integers). Timestamps are nanoseconds since the epoch, as decimal strings.
 * Only the synthetic corpus uses them; recorded requests are kept verbatim.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** An OTLP AnyValue in its JSON form. */
export type AnyValueJson = JsonObject;

export const str = (stringValue: string): AnyValueJson => ({ stringValue });
export const bool = (boolValue: boolean): AnyValueJson => ({ boolValue });
/** int64 as OTLP/JSON writes it: a decimal string, so values past 2^53 survive. */
export const int = (intValue: bigint | number): AnyValueJson => ({ intValue: String(intValue) });
/** A double; NaN and the infinities are strings in proto3 JSON. */
export const double = (doubleValue: number): AnyValueJson => ({
  doubleValue: Number.isFinite(doubleValue) ? doubleValue : String(doubleValue),
});
export const bytes = (raw: Uint8Array): AnyValueJson => ({ bytesValue: Buffer.from(raw).toString('base64') });
export const array = (...values: AnyValueJson[]): AnyValueJson => ({ arrayValue: { values } });
export const kvlist = (entries: [string, AnyValueJson][]): AnyValueJson => ({ kvlistValue: { values: attrs(entries) } });
/** An AnyValue with no member set ("empty value"). */
export const empty = (): AnyValueJson => ({});

export function attrs(entries: [string, AnyValueJson][]): Json[] {
  return entries.map(([key, value]) => ({ key, value }));
}

/** Nanoseconds since the epoch as OTLP/JSON's decimal string. */
export const nanos = (ns: bigint): string => ns.toString();

export const SECOND_NS = 1_000_000_000n;
export const MS_NS = 1_000_000n;
export const US_NS = 1_000n;

export interface ScopeJson {
  name?: string;
  version?: string;
  attributes?: Json[];
  droppedAttributesCount?: number;
}

export interface ResourceSpansJson {
  resource: JsonObject;
  schemaUrl?: string;
  scopeSpans: { scope?: ScopeJson; schemaUrl?: string; spans: JsonObject[] }[];
}

/** A resource whose only attribute (first) is service.name, plus any others. */
export function resource(service: string, more: [string, AnyValueJson][] = []): JsonObject {
  return { attributes: attrs([['service.name', str(service)], ...more]) };
}

export function request(resourceSpans: ResourceSpansJson[]): JsonObject {
  return { resourceSpans: resourceSpans as unknown as Json[] };
}

export interface SpanSpec {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind?: number;
  startNs: bigint;
  endNs: bigint;
  attributes?: [string, AnyValueJson][];
  events?: JsonObject[];
  links?: JsonObject[];
  status?: { code?: number; message?: string };
  traceState?: string;
  flags?: number;
  droppedAttributesCount?: number;
  droppedEventsCount?: number;
  droppedLinksCount?: number;
}

/** A span in OTLP/JSON; fields at their default value are left out, as an SDK's exporter does. */
export function span(s: SpanSpec): JsonObject {
  const out: JsonObject = { traceId: s.traceId, spanId: s.spanId };
  if (s.traceState) out.traceState = s.traceState;
  if (s.parentSpanId) out.parentSpanId = s.parentSpanId;
  if (s.flags) out.flags = s.flags;
  out.name = s.name;
  out.kind = s.kind ?? 1;
  out.startTimeUnixNano = nanos(s.startNs);
  out.endTimeUnixNano = nanos(s.endNs);
  if (s.attributes) out.attributes = attrs(s.attributes);
  if (s.droppedAttributesCount) out.droppedAttributesCount = s.droppedAttributesCount;
  if (s.events) out.events = s.events;
  if (s.droppedEventsCount) out.droppedEventsCount = s.droppedEventsCount;
  if (s.links) out.links = s.links;
  if (s.droppedLinksCount) out.droppedLinksCount = s.droppedLinksCount;
  const status: JsonObject = {};
  if (s.status?.message) status.message = s.status.message;
  if (s.status?.code) status.code = s.status.code;
  out.status = status;
  return out;
}

export function event(name: string, timeNs: bigint, attributes: [string, AnyValueJson][] = [], droppedAttributesCount = 0): JsonObject {
  const out: JsonObject = { timeUnixNano: nanos(timeNs) };
  if (name) out.name = name;
  if (attributes.length > 0) out.attributes = attrs(attributes);
  if (droppedAttributesCount) out.droppedAttributesCount = droppedAttributesCount;
  return out;
}

export function link(
  traceId: string,
  spanId: string,
  more: { attributes?: [string, AnyValueJson][]; traceState?: string; flags?: number; droppedAttributesCount?: number } = {},
): JsonObject {
  const out: JsonObject = { traceId, spanId };
  if (more.traceState) out.traceState = more.traceState;
  if (more.attributes) out.attributes = attrs(more.attributes);
  if (more.droppedAttributesCount) out.droppedAttributesCount = more.droppedAttributesCount;
  if (more.flags) out.flags = more.flags;
  return out;
}

/** OTLP SpanKind and StatusCode numbers. */
export const Kind = { UNSPECIFIED: 0, INTERNAL: 1, SERVER: 2, CLIENT: 3, PRODUCER: 4, CONSUMER: 5 } as const;
export const Status = { UNSET: 0, OK: 1, ERROR: 2 } as const;
