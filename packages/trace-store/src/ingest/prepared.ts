import type { RollupRow } from '../metrics/rollup.js';

/**
 * What the decoding threads hand the writer: one export request, decoded,
 * validated, sanitised and laid out as the store keeps it. Columnar typed
 * arrays, so a whole export crosses threads by transferring a handful of
 * buffers instead of copying thousands of objects (see transferList).
 */

/** A resource of the export, kept once in the store however many exports repeat it. */
export interface PreparedResource {
  /** resources.id: the first 8 bytes of the SHA-1 of `body` and `schemaUrl`, signed. */
  id: bigint;
  /** The encoded OTLP Resource message, after sanitising (service.name placeholders). */
  body: Uint8Array;
  schemaUrl: string;
  service: string;
}

export interface PreparedOperation {
  service: string;
  name: string;
  /** OTLP SpanKind. */
  kind: number;
}

/**
 * The export's spans cut into chunks, one per trace (see
 * proto/tracelens/store/v1/chunk.proto), chunk i's fields at index i (or
 * i × width) of each array.
 */
export interface PreparedChunks {
  count: number;
  /** 16 bytes per chunk. */
  traceIds: Uint8Array;
  /** The encoded Chunk messages, one after the other; chunk i ends at bodyEnds[i]. */
  bodies: Uint8Array;
  bodyEnds: Uint32Array;
  spans: Uint32Array;
  /**
   * 4 per chunk, microseconds: the earliest and latest span start, the
   * shortest and longest span duration, each widened by 1 µs outward (they
   * are worked out in floating point), for skipping chunks a search cannot
   * match; never for deciding that one does.
   */
  bounds: Float64Array;
  /** 2 per chunk, nanoseconds, exact: the earliest span start and the latest span end (the tail sampler's). */
  times: BigInt64Array;
  /** 1 when a span of the chunk has status ERROR. */
  errors: Uint8Array;
  /** Each chunk's operations, indexes into PreparedSpans.operations; chunk i's end at opEnds[i]. */
  ops: Uint32Array;
  opEnds: Uint32Array;
  /** Each chunk's bloom filter over its terms (search/terms.ts); chunk i's ends at filterEnds[i]. */
  filters: Uint8Array;
  filterEnds: Uint32Array;
}

export interface PreparedSpans {
  signal: 'spans';
  /** Spans to store. */
  accepted: number;
  /** Spans dropped at the edge, and why (one line per distinct reason), for partialSuccess. */
  rejected: number;
  reasons: string[];
  resources: PreparedResource[];
  /** Distinct (service, name, kind) of the export's spans. */
  operations: PreparedOperation[];
  chunks: PreparedChunks;
  /** The distinct term hashes of the whole export, for the filter of the block it joins. */
  terms: Int32Array;
  /** RED rollups of its spans, their series indexes into `operations`. */
  rollups: RollupRow[];
}

export interface PreparedLogRecord {
  /** Index into PreparedLogs.resources. */
  resource: number;
  /** '' or 32 lowercase hex digits. */
  traceId: string;
  spanId: string;
  /** Decimal nanoseconds, '0' when unset. */
  timeUnixNano: string;
  observedTimeUnixNano: string;
  severityNumber: number;
  severityText: string;
  /** JSON of the record's scope and schema URL. */
  scope: string;
  /** JSON of the normalised OTLP log record. */
  body: string;
}

export interface PreparedLogs {
  signal: 'logs';
  accepted: number;
  rejected: number;
  reasons: string[];
  resources: PreparedResource[];
  records: PreparedLogRecord[];
}

export type Prepared = PreparedSpans | PreparedLogs;

/** The buffers to transfer (not copy) with a prepared export; each is its own ArrayBuffer. */
export function transferList(prepared: Prepared): ArrayBuffer[] {
  if (prepared.signal === 'logs') return [];
  const c = prepared.chunks;
  return [c.traceIds, c.bodies, c.bodyEnds, c.spans, c.bounds, c.times, c.errors, c.ops, c.opEnds, c.filters, c.filterEnds, prepared.terms].map(
    (a) => a.buffer as ArrayBuffer,
  );
}
