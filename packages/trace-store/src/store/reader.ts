import Database from 'better-sqlite3';
import { resource as resourceToModel, scope as scopeToModel, span as spanToModel } from '../otlp/decode-protobuf.js';
import type { LogRecord, ResourceSpans } from '../otlp/model.js';
import { i64, u64, type PbChunk, type PbResource, type PbScope, type PbSpan } from '../otlp/pb.js';
import { Chunk, Resource } from '../otlp/proto.js';
import { pbText } from '../ingest/prepare.js';
import { Directory } from '../search/block-directory.js';
import { BLOCK_BITS_PER_TERM, bloomHas, CHUNK_BITS_PER_TERM, probesFor } from '../search/bloom.js';
import { forEachResourceTag, forEachSpanTag, MAX_TAG_VALUE, operationTerm, serviceTerm, tagPrefix, tagTerm } from '../search/terms.js';
import type { RollupPeriod } from '../metrics/rollup.js';
import { RollupReader, type StoredRollup } from '../metrics/rollup-table.js';
import { fromJson } from './json.js';
import { BUCKET_SHIFT } from './schema.js';
import { traceIdBytes, traceIdHex } from './trace-id.js';

/** A log record as the store returns it. */
export interface StoredLog {
  /** Event time, else observed time, else the time it was received; microseconds since the epoch. */
  timeUs: number;
  service: string;
  record: LogRecord;
}

export interface Operation {
  name: string;
  kind: number;
}

/**
 * A trace search, as Jaeger's storage reads one: every condition must hold
 * for one span of the trace. Times and durations are nanoseconds, compared
 * exactly (a span starting 500 ns into the last microsecond of a window is
 * outside it).
 */
export interface TraceQuery {
  service?: string;
  operation?: string;
  /** Attribute (span, scope, event or resource) key to text value, as goAsString() renders it; also the tags Jaeger derives. */
  tags: Record<string, string>;
  startMinNs?: bigint;
  startMaxNs?: bigint;
  /** Ignored when 0, as Jaeger does. */
  durationMinNs?: bigint;
  /** Ignored when 0, as Jaeger does. */
  durationMaxNs?: bigint;
  limit: number;
}

export interface Dependency {
  parent: string;
  child: string;
  callCount: number;
}

const CHUNK_PROBES = probesFor(CHUNK_BITS_PER_TERM);
const BLOCK_PROBES = probesFor(BLOCK_BITS_PER_TERM);

interface StoredResource {
  message: PbResource;
  service: string;
}

/**
 * The read side of the store, on a connection of its own (SQLite's WAL lets
 * it read while the writer thread commits): traces by id, searches,
 * services and operations, dependencies, log records. Everything committed
 * before a call started is visible to it, so an acknowledged export is
 * readable at once.
 */
export class StoreReader {
  private readonly db: Database.Database;
  private readonly statements;
  private readonly resources = new Map<bigint, StoredResource>();
  private readonly rollupReader: RollupReader;
  /** The lookup by trace id, prepared for the current range of buckets. */
  private byTrace: { key: string; statement: Database.Statement<[Buffer], { body: Buffer }> } | undefined;

  constructor(file: string) {
    this.db = new Database(file, { readonly: true, fileMustExist: true });
    // Reads go through the OS page cache without copies (256 MiB of the file mapped at most).
    this.db.pragma('mmap_size = 268435456');
    this.db.pragma('cache_size = -32000');
    this.statements = this.prepare();
    this.rollupReader = new RollupReader(this.db);
  }

  /** RED rollups of the services whose `periodS` period starts from `fromS` to `toS` (seconds since the epoch). */
  rollups(services: readonly string[], periodS: RollupPeriod, fromS: number, toS: number): StoredRollup[] {
    return this.rollupReader.read(services, periodS, fromS, toS);
  }

  private prepare() {
    const db = this.db;
    return {
      // Two subqueries: SQLite answers a lone MIN or MAX from the rowid's b-tree in O(log n), but both in one
      // SELECT scan every chunk, and this runs for every trace looked up.
      chunkBounds: db.prepare<[], { min: number | null; max: number | null }>('SELECT (SELECT MIN(id) FROM chunks) AS min, (SELECT MAX(id) FROM chunks) AS max'),
      chunk: db.prepare<[number], { body: Buffer }>('SELECT body FROM chunks WHERE id = ?'),
      resource: db.prepare<[bigint], { body: Buffer; service: string }>('SELECT body, service FROM resources WHERE id = ?'),
      blocks: db.prepare<[number, number], { id: number; last_chunk: number; max_start_us: number; filter: Buffer }>(
        'SELECT id, last_chunk, max_start_us, filter FROM blocks WHERE max_start_us >= ? AND min_start_us <= ? ORDER BY max_start_us DESC, id DESC',
      ),
      directories: db.prepare<[number, number], { directory: Buffer }>('SELECT directory FROM directories WHERE id BETWEEN ? AND ? ORDER BY id'),
      services: db.prepare<[], { service: string }>('SELECT DISTINCT service FROM operations ORDER BY service'),
      operations: db.prepare<[string], Operation>('SELECT name, kind FROM operations WHERE service = ? ORDER BY name, kind'),
      spanCount: db.prepare<[], { spans: number }>('SELECT spans FROM counters'),
      logCount: db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM logs'),
      traceLogs: db.prepare<[string], { time_us: number; service: string; body: string }>(
        'SELECT time_us, service, body FROM logs WHERE trace_id = ? ORDER BY time_us, row',
      ),
    };
  }

  private resource(id: bigint): StoredResource | undefined {
    let r = this.resources.get(id);
    if (!r) {
      const row = this.statements.resource.get(id);
      if (!row) return undefined;
      r = { message: Resource.decode(row.body) as unknown as PbResource, service: row.service };
      // Resources are few and repeat; bounded by dropping the cache wholesale.
      if (this.resources.size >= 10_000) this.resources.clear();
      this.resources.set(id, r);
    }
    return r;
  }

  private lookupByTrace(): Database.Statement<[Buffer], { body: Buffer }> | undefined {
    const { min, max } = this.statements.chunkBounds.get() ?? { min: null, max: null };
    if (min === null || max === null) return undefined;
    const first = Math.floor(min / 2 ** BUCKET_SHIFT);
    const last = Math.floor(max / 2 ** BUCKET_SHIFT);
    const key = `${first}-${last}`;
    if (this.byTrace?.key !== key) {
      const buckets = Array.from({ length: last - first + 1 }, (_, i) => first + i);
      this.byTrace = {
        key,
        statement: this.db.prepare(`SELECT body FROM chunks WHERE bucket IN (${buckets.join(',')}) AND trace_id = ? ORDER BY id`),
      };
    }
    return this.byTrace.statement;
  }

  /** The chunks of a trace, oldest first, decoded. */
  private traceChunks(traceId: string): PbChunk[] {
    const lookup = this.lookupByTrace();
    if (!lookup) return [];
    return lookup.all(traceIdBytes(traceId)).map((row) => Chunk.decode(row.body) as unknown as PbChunk);
  }

  /**
   * A trace as Jaeger's storage lays it out: for every export that carried
   * spans of it, one ResourceSpans per resource of that export and in it one
   * ScopeSpans per scope, in the order received. Schema URLs are not kept
   * (Jaeger copies only the resource and the scope). Fresh objects: the
   * adjusters rewrite them freely. Undefined when no span of it is stored.
   */
  getTrace(traceId: string): ResourceSpans[] | undefined {
    const chunks = this.traceChunks(traceId);
    if (chunks.length === 0) return undefined;
    const out: ResourceSpans[] = [];
    for (const chunk of chunks) {
      for (const rc of chunk.resources) {
        const stored = this.resource(i64(rc.resource));
        out.push({
          resource: stored ? resourceToModel(stored.message) : { attributes: [], droppedAttributesCount: 0 },
          schemaUrl: '',
          scopeSpans: rc.scopeSpans.map((ss) => ({ scope: scopeToModel(ss.scope), schemaUrl: '', spans: ss.spans.map(spanToModel) })),
        });
      }
    }
    return out;
  }

  /** The log records of a trace, by time (then arrival). */
  traceLogs(traceId: string): StoredLog[] {
    return this.statements.traceLogs
      .all(traceId)
      .map((row) => ({ timeUs: row.time_us, service: row.service, record: fromJson<LogRecord>(row.body) }));
  }

  services(): string[] {
    return this.statements.services.all().map((r) => r.service);
  }

  operations(service: string): Operation[] {
    return this.statements.operations.all(service);
  }

  /** How many spans the store holds. */
  spanCount(): number {
    return this.statements.spanCount.get()?.spans ?? 0;
  }

  /** How many log records the store holds. */
  logCount(): number {
    return this.statements.logCount.get()?.n ?? 0;
  }

  /**
   * Trace ids of the traces with a span matching every condition, the one
   * with the latest matching span first. Blocks are read newest first (by
   * their latest span start); a block's filter, then each chunk's bounds and
   * filter, say which chunks may hold a match, and only those are decoded
   * and checked span by span. The search stops once `limit` traces have a
   * matching span later than anything in the blocks not read yet, so its
   * cost follows the limit, not the number of matches.
   */
  findTraceIds(q: TraceQuery): string[] {
    const search = new Search(q, (id) => this.resource(id));
    if (search.impossible) return [];
    const minUs = q.startMinNs === undefined ? -Number.MAX_VALUE : Number(floorDiv(q.startMinNs, 1000n));
    const maxUs = q.startMaxNs === undefined ? Number.MAX_VALUE : Number(floorDiv(q.startMaxNs, 1000n));
    const best = new Map<string, bigint>();
    const blocks = this.statements.blocks.iterate(minUs, maxUs);
    try {
      let next = blocks.next();
      while (!next.done) {
        const block = next.value;
        next = blocks.next();
        if (search.blockMayMatch(block.filter)) this.searchBlock(block, search, minUs, maxUs, best);
        // Every span in the blocks left starts before this (bounds are widened, so strictly before).
        const bound = next.done ? undefined : BigInt(next.value.max_start_us + 1) * 1000n;
        if (bound === undefined) break;
        let settled = 0;
        for (const ns of best.values()) if (ns >= bound) settled++;
        if (settled >= q.limit) break;
      }
    } finally {
      blocks.return?.();
    }
    return [...best]
      .sort((a, b) => (a[1] > b[1] ? -1 : a[1] < b[1] ? 1 : 0))
      .slice(0, q.limit)
      .map(([id]) => id);
  }

  /** A block's directory, in the pieces its commits wrote. */
  private directories(block: { id: number; last_chunk: number }): Directory[] {
    return this.statements.directories.all(block.id, block.last_chunk).map((row) => new Directory(row.directory));
  }

  private searchBlock(block: { id: number; last_chunk: number }, search: Search, minUs: number, maxUs: number, best: Map<string, bigint>): void {
    for (const dir of this.directories(block)) this.searchDirectory(dir, search, minUs, maxUs, best);
  }

  private searchDirectory(dir: Directory, search: Search, minUs: number, maxUs: number, best: Map<string, bigint>): void {
    for (let i = 0; i < dir.count; i++) {
      const b = i * 4;
      if ((dir.bounds[b + 1] as number) < minUs || (dir.bounds[b] as number) > maxUs) continue;
      if (!search.durationsMayMatch(dir.bounds[b + 2] as number, dir.bounds[b + 3] as number)) continue;
      if (!search.chunkMayMatch(dir.filter(i))) continue;
      const chunk = this.statements.chunk.get(dir.ids[i] as number);
      // Deleted since (the tail sampler, retention): the directory is not rewritten.
      if (!chunk) continue;
      const latest = search.latestMatch(Chunk.decode(chunk.body) as unknown as PbChunk);
      if (latest === undefined) continue;
      const traceId = traceIdHex(dir.traceId(i));
      const known = best.get(traceId);
      if (known === undefined || latest > known) best.set(traceId, latest);
    }
  }

  /**
   * Calls between services (and within one) in the traces lying wholly
   * inside the window: after startNs, before endNs (nanoseconds, both
   * exclusive, as Jaeger's memory storage compares them). In those traces,
   * every span whose parent is there counts, the parent being the first
   * span received with that id.
   */
  dependencies(startNs: bigint, endNs: bigint): Dependency[] {
    const startUs = Number(floorDiv(startNs, 1000n));
    const endUs = Number(floorDiv(endNs, 1000n));
    const candidates = new Set<string>();
    for (const block of this.statements.blocks.all(startUs, endUs)) {
      for (const dir of this.directories(block)) {
        for (let i = 0; i < dir.count; i++) {
          if ((dir.bounds[i * 4 + 1] as number) >= startUs && (dir.bounds[i * 4] as number) <= endUs) candidates.add(traceIdHex(dir.traceId(i)));
        }
      }
    }
    const counts = new Map<string, Dependency>();
    for (const traceId of candidates) {
      const spans: { span: PbSpan; service: string }[] = [];
      for (const chunk of this.traceChunks(traceId)) {
        for (const rc of chunk.resources) {
          const service = this.resource(i64(rc.resource))?.service ?? '';
          for (const ss of rc.scopeSpans) for (const span of ss.spans) spans.push({ span, service });
        }
      }
      if (spans.length === 0) continue;
      let first = u64(spans[0]?.span.startTimeUnixNano ?? 0);
      let last = u64(spans[0]?.span.endTimeUnixNano ?? 0);
      for (const { span } of spans) {
        const s = u64(span.startTimeUnixNano);
        const e = u64(span.endTimeUnixNano);
        if (s < first) first = s;
        if (e > last) last = e;
      }
      if (!(first > startNs && last < endNs)) continue;
      const byId = new Map<string, string>();
      for (const { span, service } of spans) {
        const id = traceIdHex(span.spanId as Uint8Array);
        if (!byId.has(id)) byId.set(id, service);
      }
      for (const { span, service } of spans) {
        if (span.parentSpanId.length === 0) continue;
        const parent = byId.get(traceIdHex(span.parentSpanId as Uint8Array));
        if (parent === undefined) continue;
        const key = `${parent}\0${service}`;
        const d = counts.get(key) ?? { parent, child: service, callCount: 0 };
        d.callCount++;
        counts.set(key, d);
      }
    }
    return [...counts.values()].sort((a, b) => (a.parent < b.parent ? -1 : a.parent > b.parent ? 1 : a.child < b.child ? -1 : a.child > b.child ? 1 : 0));
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/** One search's conditions, ready to test blocks, chunks and spans. */
class Search {
  /** The terms every matching span has; empty when the search names no service (then no filter can help). */
  private readonly terms: number[] = [];
  /** A tag value longer than any searchable one: nothing can match. */
  readonly impossible: boolean;
  private readonly wanted: Map<string, string>;
  /** Per resource, the wanted tags its own attributes already satisfy. */
  private readonly fromResource = new Map<bigint, Set<string>>();

  constructor(
    private readonly q: TraceQuery,
    private readonly resourceOf: (id: bigint) => StoredResource | undefined,
  ) {
    this.wanted = new Map(Object.entries(q.tags));
    this.impossible = [...this.wanted.values()].some((v) => v.length > MAX_TAG_VALUE);
    if (q.service !== undefined) {
      const prefix = tagPrefix(q.service);
      if (q.operation !== undefined) this.terms.push(operationTerm(q.service, q.operation));
      for (const [k, v] of this.wanted) this.terms.push(tagTerm(prefix, k, v));
      if (this.terms.length === 0) this.terms.push(serviceTerm(q.service));
    }
  }

  blockMayMatch(filter: Uint8Array): boolean {
    return this.terms.every((t) => bloomHas(filter, BLOCK_PROBES, t));
  }

  chunkMayMatch(filter: Uint8Array): boolean {
    return this.terms.every((t) => bloomHas(filter, CHUNK_PROBES, t));
  }

  /** Whether a chunk whose spans last from `minUs` to `maxUs` (widened) can hold a span of the duration asked for. */
  durationsMayMatch(minUs: number, maxUs: number): boolean {
    if (this.q.durationMinNs && maxUs * 1000 < Number(this.q.durationMinNs)) return false;
    if (this.q.durationMaxNs && minUs * 1000 > Number(this.q.durationMaxNs)) return false;
    return true;
  }

  private resourceTags(id: bigint, r: StoredResource): Set<string> {
    let satisfied = this.fromResource.get(id);
    if (!satisfied) {
      const found = new Set<string>();
      forEachResourceTag(r.message.attributes, pbText, (key, text) => {
        if (this.wanted.get(key) === text) found.add(key);
      });
      satisfied = found;
      this.fromResource.set(id, satisfied);
    }
    return satisfied;
  }

  /** The start (ns) of the chunk's latest span matching every condition, or undefined. */
  latestMatch(chunk: PbChunk): bigint | undefined {
    const q = this.q;
    let latest: bigint | undefined;
    for (const rc of chunk.resources) {
      const id = i64(rc.resource);
      const r = this.resourceOf(id);
      if (!r) continue;
      if (q.service !== undefined && r.service !== q.service) continue;
      const satisfied = this.wanted.size > 0 ? this.resourceTags(id, r) : undefined;
      for (const ss of rc.scopeSpans) {
        for (const span of ss.spans) {
          if (q.operation !== undefined && span.name !== q.operation) continue;
          const start = u64(span.startTimeUnixNano);
          if (q.startMinNs !== undefined && start < q.startMinNs) continue;
          if (q.startMaxNs !== undefined && start > q.startMaxNs) continue;
          if (q.durationMinNs || q.durationMaxNs) {
            const duration = u64(span.endTimeUnixNano) - start;
            if (q.durationMinNs && duration < q.durationMinNs) continue;
            if (q.durationMaxNs && duration > q.durationMaxNs) continue;
          }
          if (satisfied && !this.tagsMatch(span, ss.scope, satisfied)) continue;
          if (latest === undefined || start > latest) latest = start;
        }
      }
    }
    return latest;
  }

  private tagsMatch(span: PbSpan, scope: PbScope | null | undefined, fromResource: Set<string>): boolean {
    const missing = new Set<string>();
    for (const key of this.wanted.keys()) if (!fromResource.has(key)) missing.add(key);
    if (missing.size === 0) return true;
    forEachSpanTag(span, scope, pbText, (key, text) => {
      if (missing.has(key) && this.wanted.get(key) === text) missing.delete(key);
    });
    return missing.size === 0;
  }
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}
