import { createHash } from 'node:crypto';
import protobuf from 'protobufjs';
import { decodeJsonLogs, decodeJsonTraces } from '../otlp/decode-json.js';
import { anyValue, decodeProtobufLogs, decodeProtobufTracesWithBytes } from '../otlp/decode-protobuf.js';
import { goAsString } from '../otlp/go-format.js';
import { serviceNameOf, StatusCode, type ResourceLogs } from '../otlp/model.js';
import { bytesOf, compareU64, SENT_BYTES, u64, u64Approx, toLong, type PbAnyValue, type PbResource, type PbResourceSpans, type PbScopeSpans, type PbSpan } from '../otlp/pb.js';
import { Chunk, ChunkRaw, Resource, Span as SpanType } from '../otlp/proto.js';
import { sanitizeSpans } from '../otlp/sanitize.js';
import { resourceSpansToPb, resourceToPb } from '../otlp/to-protobuf.js';
import { validateLogs, validateSpans } from '../otlp/validate.js';
import { RollupBuilder } from '../metrics/rollup.js';
import { bloomOf, CHUNK_BITS_PER_TERM } from '../search/bloom.js';
import { forEachOwnTag, forEachResourceTag, forEachScopeTag, operationTerm, serviceTerm, tagPrefix, tagTerm } from '../search/terms.js';
import { toJson } from '../store/json.js';
import type { PreparedChunks, PreparedLogRecord, PreparedLogs, PreparedOperation, PreparedResource, PreparedSpans } from './prepared.js';

/**
 * The CPU-heavy half of ingest, run on the decoding threads: an export
 * request's body to what the writer stores (prepared.ts). Spans stay in the
 * messages protobufjs decodes them into (pb.ts) from decoding to the chunk
 * bytes, never mapped to the normalised model and back; JSON requests are
 * read into the model by the JSON decoder (which names the path of a bad
 * field) and turned into the same messages.
 */

export type Encoding = 'protobuf' | 'json';

/** A protobuf-decoded attribute value as the text tag search compares (goAsString). */
export function pbText(v: PbAnyValue | null | undefined): string {
  if (v?.value === 'stringValue') return v.stringValue ?? '';
  return goAsString(anyValue(v));
}

/** Decodes, validates and sanitises an export of spans, and cuts it into chunks. Throws MalformedRequestError for a body that does not decode. */
export function prepareSpans(body: Uint8Array, encoding: Encoding): PreparedSpans {
  const decoded = encoding === 'protobuf' ? decodeProtobufTracesWithBytes(body) : resourceSpansToPb(decodeJsonTraces(bytesOf(body).toString('utf8')));
  return prepareDecodedSpans(decoded);
}

/** prepareSpans after decoding: spans as protobufjs messages, with the bytes they arrived as (SENT_BYTES) where known. */
export function prepareDecodedSpans(decoded: PbResourceSpans[]): PreparedSpans {
  const changed = new Set<PbSpan>();
  const { resourceSpans, rejected, reasons } = validateSpans(decoded, changed);
  // Stored as Jaeger stores them: placeholder service names, no span ending before it starts.
  sanitizeSpans(resourceSpans, changed);
  for (const span of changed) delete span[SENT_BYTES];
  return { signal: 'spans', rejected, reasons, ...chunkSpans(resourceSpans) };
}

/**
 * What a chunk holds of a span: the bytes it arrived as when they still
 * hold it, else the span itself, encoded with the chunk (JSON, or a
 * rewritten span).
 */
function spanEntry(span: PbSpan): Uint8Array | PbSpan {
  return span[SENT_BYTES] ?? span;
}

/**
 * Encodes a chunk: from the spans' bytes with ChunkRaw when every span has
 * them (protobuf ingest), else with Chunk, encoding each span (JSON ingest;
 * the odd rewritten span of a protobuf export is encoded on its own first).
 * The two schemas are the same on the wire.
 */
function encodeChunk(b: Building, writer: protobuf.Writer): void {
  if (b.encoded === b.spans) {
    ChunkRaw.encode({ resources: b.resources }, writer);
    return;
  }
  if (b.encoded === 0) {
    Chunk.encode({ resources: b.resources }, writer);
    return;
  }
  const resources = b.resources.map((rc) => ({
    resource: rc.resource,
    scopeSpans: rc.scopeSpans.map((ss) => ({ scope: ss.scope, spans: ss.spans.map((s) => (s instanceof Uint8Array ? s : SpanType.encode(s).finish())) })),
  }));
  ChunkRaw.encode({ resources }, writer);
}

/** One trace's spans of the export while it is being cut out. */
interface Building {
  traceId: Uint8Array;
  resources: { resource: protobuf.Long; scopeSpans: { scope: PbScopeSpans['scope']; spans: (Uint8Array | PbSpan)[] }[] }[];
  /** Spans held as the bytes they arrived as. */
  encoded: number;
  lastRs: PbResourceSpans | undefined;
  lastSs: PbScopeSpans | undefined;
  spans: number;
  minStart: PbSpan['startTimeUnixNano'];
  maxEnd: PbSpan['endTimeUnixNano'];
  minStartApprox: number;
  maxStartApprox: number;
  minDurationNs: number;
  maxDurationNs: number;
  error: boolean;
  ops: Set<number>;
  terms: Set<number>;
}


/** The bytes in an ArrayBuffer of their own (protobufjs may hand out a slice of Node's shared pool, which cannot be transferred). */
function copyOf(bytes: Uint8Array): Uint8Array {
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  return copy;
}

function pbServiceName(resource: PbResource | null | undefined): string {
  const kv = resource?.attributes.find((a) => a.key === 'service.name');
  // After sanitising, service.name is always a non-empty string.
  return kv?.value?.value === 'stringValue' ? (kv.value.stringValue ?? '') : '';
}

/** A resource's id: the first 8 bytes of the SHA-1 of its encoding and schema URL (collisions are out of reach at 2^64). */
export function resourceOf(resource: PbResource | null | undefined, schemaUrl: string, service: string): PreparedResource {
  const body = copyOf(Resource.encode(resource ?? {}).finish());
  const digest = createHash('sha1').update(body).update('\0').update(schemaUrl).digest();
  return { id: digest.readBigInt64LE(0), body, schemaUrl, service };
}

function chunkSpans(resourceSpans: PbResourceSpans[]): Omit<PreparedSpans, 'signal' | 'rejected' | 'reasons'> {
  const byTrace = new Map<string, Building>();
  const resources: PreparedResource[] = [];
  const operations: PreparedOperation[] = [];
  const allTerms = new Set<number>();
  const rollups = new RollupBuilder();
  let accepted = 0;
  // The trace being added to, and its resource's tag prefix: read by `addTag`, one closure for every span.
  let terms = new Set<number>();
  let prefix = 0;
  const addTag = (key: string, text: string) => terms.add(tagTerm(prefix, key, text));
  for (const rs of resourceSpans) {
    if (!rs.scopeSpans.some((ss) => ss.spans.length > 0)) continue;
    const service = pbServiceName(rs.resource);
    const prepared = resourceOf(rs.resource, rs.schemaUrl, service);
    prefix = tagPrefix(service);
    const resourceTerms = [serviceTerm(service)];
    forEachResourceTag(rs.resource?.attributes ?? [], pbText, (key, text) => resourceTerms.push(tagTerm(prefix, key, text)));
    const resourceLong = toLong(prepared.id, true);
    // Operation indexes by name, then kind: no key string per span.
    const opsByName = new Map<string, number[]>();
    resources.push(prepared);
    for (const ss of rs.scopeSpans) {
      const scopeTerms: number[] = [];
      if (ss.scope) forEachScopeTag(ss.scope, pbText, (key, text) => scopeTerms.push(tagTerm(prefix, key, text)));
      for (const span of ss.spans) {
        accepted++;
        const key = bytesOf(span.traceId).toString('latin1');
        let b = byTrace.get(key);
        if (!b) {
          b = {
            traceId: span.traceId as Uint8Array,
            resources: [],
            encoded: 0,
            lastRs: undefined,
            lastSs: undefined,
            spans: 0,
            minStart: span.startTimeUnixNano,
            maxEnd: span.endTimeUnixNano,
            minStartApprox: Infinity,
            maxStartApprox: -Infinity,
            minDurationNs: Infinity,
            maxDurationNs: -Infinity,
            error: false,
            ops: new Set(),
            terms: new Set(),
          };
          byTrace.set(key, b);
        }
        terms = b.terms;
        // One ResourceChunk per ResourceSpans of the export, one ScopeSpans per ScopeSpans: the layout Jaeger's storage keeps.
        if (b.lastRs !== rs) {
          b.resources.push({ resource: resourceLong, scopeSpans: [] });
          b.lastRs = rs;
          b.lastSs = undefined;
          for (const t of resourceTerms) terms.add(t);
        }
        if (b.lastSs !== ss) {
          b.resources[b.resources.length - 1]?.scopeSpans.push({ scope: ss.scope ?? null, spans: [] });
          b.lastSs = ss;
          for (const t of scopeTerms) terms.add(t);
        }
        const current = b.resources[b.resources.length - 1]?.scopeSpans;
        const entry = spanEntry(span);
        current?.[current.length - 1]?.spans.push(entry);
        if (entry instanceof Uint8Array) b.encoded++;

        b.spans++;
        const start = span.startTimeUnixNano;
        const end = span.endTimeUnixNano;
        if (compareU64(start, b.minStart) < 0) b.minStart = start;
        if (compareU64(end, b.maxEnd) > 0) b.maxEnd = end;
        const startApprox = u64Approx(start);
        const durationNs = u64Approx(end) - startApprox;
        if (startApprox < b.minStartApprox) b.minStartApprox = startApprox;
        if (startApprox > b.maxStartApprox) b.maxStartApprox = startApprox;
        if (durationNs < b.minDurationNs) b.minDurationNs = durationNs;
        if (durationNs > b.maxDurationNs) b.maxDurationNs = durationNs;
        const error = span.status?.code === StatusCode.ERROR;
        if (error) b.error = true;

        let byKind = opsByName.get(span.name);
        if (!byKind) opsByName.set(span.name, (byKind = []));
        let op = byKind[span.kind];
        if (op === undefined) {
          op = operations.length;
          operations.push({ service, name: span.name, kind: span.kind });
          byKind[span.kind] = op;
        }
        rollups.add(op, startApprox, durationNs, error);
        if (!b.ops.has(op)) {
          b.ops.add(op);
          terms.add(operationTerm(service, span.name));
        }
        forEachOwnTag(span, pbText, addTag);
      }
    }
  }
  const chunks = encodeChunks([...byTrace.values()], allTerms);
  return { accepted, resources, operations, chunks, terms: Int32Array.from(allTerms), rollups: rollups.build() };
}

function encodeChunks(list: Building[], allTerms: Set<number>): PreparedChunks {
  const count = list.length;
  const traceIds = new Uint8Array(16 * count);
  const bodyEnds = new Uint32Array(count);
  const spans = new Uint32Array(count);
  const bounds = new Float64Array(4 * count);
  const times = new BigInt64Array(2 * count);
  const errors = new Uint8Array(count);
  const opEnds = new Uint32Array(count);
  const filterEnds = new Uint32Array(count);
  const ops: number[] = [];
  const filters: Uint8Array[] = [];
  let filterBytes = 0;
  // One writer for every chunk: protobufjs appends, and each chunk's end is where the writer stands after it.
  const writer = protobuf.Writer.create();
  list.forEach((b, i) => {
    traceIds.set(b.traceId, 16 * i);
    encodeChunk(b, writer);
    bodyEnds[i] = writer.len;
    spans[i] = b.spans;
    bounds[4 * i] = Math.floor(b.minStartApprox / 1000) - 1;
    bounds[4 * i + 1] = Math.floor(b.maxStartApprox / 1000) + 1;
    bounds[4 * i + 2] = Math.max(0, Math.floor(b.minDurationNs / 1000) - 1);
    bounds[4 * i + 3] = Math.floor(b.maxDurationNs / 1000) + 1;
    times[2 * i] = BigInt.asIntN(64, u64(b.minStart));
    times[2 * i + 1] = BigInt.asIntN(64, u64(b.maxEnd));
    errors[i] = b.error ? 1 : 0;
    for (const op of b.ops) ops.push(op);
    opEnds[i] = ops.length;
    for (const t of b.terms) allTerms.add(t);
    const filter = bloomOf(b.terms, b.terms.size, CHUNK_BITS_PER_TERM);
    filters.push(filter);
    filterBytes += filter.length;
    filterEnds[i] = filterBytes;
  });
  const bodies = copyOf(writer.finish());
  const allFilters = new Uint8Array(filterBytes);
  let at = 0;
  for (const f of filters) {
    allFilters.set(f, at);
    at += f.length;
  }
  return { count, traceIds, bodies, bodyEnds, spans, bounds, times, errors, ops: Uint32Array.from(ops), opEnds, filters: allFilters, filterEnds };
}

/** Decodes and validates an export of log records. Throws MalformedRequestError for a body that does not decode. */
export function prepareLogs(body: Uint8Array, encoding: Encoding): PreparedLogs {
  const decoded: ResourceLogs[] =
    encoding === 'protobuf' ? decodeProtobufLogs(body) : decodeJsonLogs(bytesOf(body).toString('utf8'));
  const { resourceLogs, rejected, reasons } = validateLogs(decoded);
  const resources: PreparedResource[] = [];
  const records: PreparedLogRecord[] = [];
  for (const rl of resourceLogs) {
    if (!rl.scopeLogs.some((sl) => sl.logRecords.length > 0)) continue;
    const service = serviceNameOf(rl.resource);
    resources.push(resourceOf(resourceToPb(rl.resource), rl.schemaUrl, service));
    for (const sl of rl.scopeLogs) {
      const scope = toJson({ scope: sl.scope, schemaUrl: sl.schemaUrl });
      for (const record of sl.logRecords) {
        records.push({
          resource: resources.length - 1,
          traceId: record.traceId,
          spanId: record.spanId,
          timeUnixNano: record.timeUnixNano,
          observedTimeUnixNano: record.observedTimeUnixNano,
          severityNumber: record.severityNumber,
          severityText: record.severityText,
          scope,
          body: toJson(record),
        });
      }
    }
  }
  return { signal: 'logs', accepted: records.length, rejected, reasons, resources, records };
}
