import protobuf, { type Long } from 'protobufjs';

/**
 * The shapes protobufjs decodes OTLP into (proto.ts), and that the ingest
 * path works on without mapping them to the normalised model first: ids
 * stay bytes, 64-bit times stay `Long`s. Unset fields read as their proto3
 * defaults through the message prototype; an unset `bytes` field is a plain
 * empty array there, hence `Bytes`. Objects built here rather than decoded
 * (JSON ingest, sanitising) are plain objects of the same shape, the
 * AnyValue case named in `value` as a decoded message's oneof getter does.
 *
 * protobufjs encodes either kind: it reads fields by name and skips the
 * `value` oneof name.
 */
export type Bytes = Uint8Array | readonly number[];
export type Int64 = Long | number;

export type PbValueCase = 'stringValue' | 'boolValue' | 'intValue' | 'doubleValue' | 'arrayValue' | 'kvlistValue' | 'bytesValue';

export interface PbAnyValue {
  /** The name of the oneof member that is set; undefined for an empty AnyValue. */
  value?: PbValueCase;
  stringValue?: string;
  boolValue?: boolean;
  intValue?: Int64;
  doubleValue?: number;
  arrayValue?: { values: PbAnyValue[] } | null;
  kvlistValue?: { values: PbKeyValue[] } | null;
  bytesValue?: Bytes;
}

export interface PbKeyValue {
  key: string;
  value?: PbAnyValue | null;
}

export interface PbResource {
  attributes: PbKeyValue[];
  droppedAttributesCount: number;
}

export interface PbScope {
  name: string;
  version: string;
  attributes: PbKeyValue[];
  droppedAttributesCount: number;
}

export interface PbEvent {
  timeUnixNano: Int64;
  name: string;
  attributes: PbKeyValue[];
  droppedAttributesCount: number;
}

export interface PbLink {
  traceId: Bytes;
  spanId: Bytes;
  traceState: string;
  attributes: PbKeyValue[];
  droppedAttributesCount: number;
  flags: number;
}

/** Where the ingest path keeps a decoded span's bytes as sent (decode-protobuf.ts), while they still hold it. */
export const SENT_BYTES = Symbol('sent bytes');

export interface PbSpan {
  [SENT_BYTES]?: Uint8Array;
  traceId: Bytes;
  spanId: Bytes;
  parentSpanId: Bytes;
  traceState: string;
  flags: number;
  name: string;
  kind: number;
  startTimeUnixNano: Int64;
  endTimeUnixNano: Int64;
  attributes: PbKeyValue[];
  droppedAttributesCount: number;
  events: PbEvent[];
  droppedEventsCount: number;
  links: PbLink[];
  droppedLinksCount: number;
  status?: { code: number; message: string } | null;
}

export interface PbScopeSpans {
  scope?: PbScope | null;
  schemaUrl: string;
  spans: PbSpan[];
}

export interface PbResourceSpans {
  resource?: PbResource | null;
  schemaUrl: string;
  scopeSpans: PbScopeSpans[];
}

export interface PbLogRecord {
  timeUnixNano: Int64;
  observedTimeUnixNano: Int64;
  severityNumber: number;
  severityText: string;
  body?: PbAnyValue | null;
  attributes: PbKeyValue[];
  droppedAttributesCount: number;
  flags: number;
  traceId: Bytes;
  spanId: Bytes;
  eventName: string;
}

export interface PbResourceLogs {
  resource?: PbResource | null;
  schemaUrl: string;
  scopeLogs: { scope?: PbScope | null; schemaUrl: string; logRecords: PbLogRecord[] }[];
}

/** The store's chunk message (proto/tracelens/store/v1/chunk.proto). */
export interface PbChunk {
  resources: { resource: Int64; scopeSpans: PbScopeSpans[] }[];
}

/** The bytes of a decoded `bytes` field (see Bytes), viewed without copying where they are a Uint8Array. */
export function bytesOf(bytes: Bytes): Buffer {
  if (Buffer.isBuffer(bytes)) return bytes;
  return bytes instanceof Uint8Array ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) : Buffer.from(bytes);
}

export function hexOf(bytes: Bytes): string {
  return bytesOf(bytes).toString('hex');
}

/** True when every byte is zero (an empty id too). */
export function allZero(bytes: Bytes): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== 0) return false;
  return true;
}

/** An unsigned 64-bit field (fixed64 times) as a bigint. */
export function u64(value: Int64): bigint {
  if (typeof value === 'number') return BigInt(value);
  return (BigInt(value.high >>> 0) << 32n) | BigInt(value.low >>> 0);
}

/** A signed 64-bit field (int64 attribute values, sfixed64 ids) as a bigint. */
export function i64(value: Int64): bigint {
  if (typeof value === 'number') return BigInt(value);
  return BigInt.asIntN(64, (BigInt(value.high >>> 0) << 32n) | BigInt(value.low >>> 0));
}

/**
 * An unsigned 64-bit field as a number, exact below 2^53 and within a few
 * hundred nanoseconds for today's times in nanoseconds (about 2^60): for
 * bounds that are widened before use, never for stored values.
 */
export function u64Approx(value: Int64): number {
  return typeof value === 'number' ? value : (value.high >>> 0) * 2 ** 32 + (value.low >>> 0);
}

/** -1, 0 or 1 as a < b, a = b, a > b, for unsigned 64-bit fields. */
export function compareU64(a: Int64, b: Int64): number {
  if (typeof a === 'number' || typeof b === 'number') {
    const x = u64(a);
    const y = u64(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  const ah = a.high >>> 0;
  const bh = b.high >>> 0;
  if (ah !== bh) return ah < bh ? -1 : 1;
  const al = a.low >>> 0;
  const bl = b.low >>> 0;
  return al === bl ? 0 : al < bl ? -1 : 1;
}

const LongClass = protobuf.util.Long;

/** A Long (as protobufjs decodes 64-bit fields) from a bigint; `signed` for int64/sfixed64. */
export function toLong(value: bigint, signed = false): Long {
  const bits = BigInt.asUintN(64, value);
  return new LongClass(Number(bits & 0xffffffffn) | 0, Number(bits >> 32n) | 0, !signed);
}
