import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { PreparedLogs, PreparedResource, PreparedSpans } from '../ingest/prepared.js';
import { RollupBuilder } from '../metrics/rollup.js';
import { RollupWriter, SeriesList } from '../metrics/rollup-table.js';
import { i64, u64Approx, type PbChunk } from '../otlp/pb.js';
import { Chunk } from '../otlp/proto.js';
import { StatusCode } from '../otlp/model.js';
import { BLOCK_BITS_PER_TERM, bloomAdd, probesFor } from '../search/bloom.js';
import { encodeDirectory, type DirectoryEntry } from '../search/block-directory.js';
import { BLOCK_FILTER_BYTES, BLOCK_MAX_CHUNKS, BUCKET_SHIFT, PAGE_SIZE, SCHEMA, SCHEMA_VERSION } from './schema.js';
import { traceIdBytes } from './trace-id.js';

/** What one group commit writes: export requests of either signal, in one transaction. */
export interface IngestBatch {
  spans: readonly PreparedSpans[];
  logs: readonly PreparedLogs[];
}

export interface RetentionPolicy {
  /** Spans and log records ingested longer ago than this are deleted; 0 keeps them forever. Microseconds. */
  maxAgeUs: number;
  /** At most this many spans, and separately this many log records, are kept, newest first; 0 for no limit. */
  maxSpans: number;
}

/** A database file of an earlier store version: refused, naming the command that converts it. */
export class OldSchemaError extends Error {
  override readonly name = 'OldSchemaError';
  constructor(
    readonly file: string,
    readonly version: number,
  ) {
    super(
      `${file} was written by an earlier Tracelens store (schema version ${version}, this one uses ${SCHEMA_VERSION}); ` +
        `convert it with: npx tracelens-collector upgrade-db ${file}`,
    );
  }
}

export interface OpenOptions {
  /**
   * A private database deleted at close (what `:memory:` asks for): written
   * without fsync, as nothing of it survives the process anyway.
   */
  temporary?: boolean;
}

/**
 * Opens (creating when new) a store database with the pragmas every
 * connection uses; checks the schema version. Shared by the writer and the
 * converter.
 */
export function openStoreDatabase(file: string, options: OpenOptions = {}): Database.Database {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file);
  try {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version === 0) {
      const tables = db.prepare<[], { n: number }>("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table'").get()?.n ?? 0;
      if (tables > 0) throw new Error(`${file} is a SQLite database, but not a trace store (no schema version); point --db at a new file`);
      db.pragma(`page_size = ${PAGE_SIZE}`);
    }
    db.pragma('journal_mode = WAL');
    // FULL: an export is acknowledged only once its commit is on disk.
    db.pragma(`synchronous = ${options.temporary ? 'OFF' : 'FULL'}`);
    // Only this connection writes (the owner lock keeps other collectors out). Another program holding the write
    // lock (a sqlite3 shell, a backup) is waited for this long, then the export is refused (503) and retried.
    db.pragma('busy_timeout = 1000');
    db.pragma('cache_size = -65536');
    if (version === 0) {
      db.transaction(() => {
        db.exec(SCHEMA);
        db.pragma(`user_version = ${SCHEMA_VERSION}`);
      })();
    } else if (version < SCHEMA_VERSION) {
      throw new OldSchemaError(file, version);
    } else if (version > SCHEMA_VERSION) {
      throw new Error(`the database has schema version ${version} but this collector uses version ${SCHEMA_VERSION}; point --db at a new file`);
    }
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
}

/** The block being filled: its row and directory are on disk as of the last commit. */
interface OpenBlock {
  id: number;
  lastChunk: number;
  chunks: number;
  filter: Uint8Array;
  /** Its distinct terms so far, to seal it when its filter is full. */
  terms: Set<number>;
  /** The terms of the export whose chunks were added last, already in `terms`. */
  lastTerms: Int32Array | undefined;
  minStartUs: number;
  maxStartUs: number;
  /** Chunks added since its row was last written: the next piece of its directory. */
  pending: DirectoryEntry[];
}

/** Distinct terms a block's filter holds at its designed false-positive rate. */
const BLOCK_TERMS = Math.floor((BLOCK_FILTER_BYTES * 8) / BLOCK_BITS_PER_TERM);
const BLOCK_PROBES = probesFor(BLOCK_BITS_PER_TERM);

/**
 * The only connection that writes: ingest (group commits), retention and
 * the tail sampler's deletes. Runs on the writer thread (threads/); tests
 * drive it directly.
 */
export class StoreWriter {
  private readonly db: Database.Database;
  private readonly statements;
  private readonly knownResources = new Set<bigint>();
  /** operations.id by `${service}\0${name}\0${kind}`. */
  private readonly operationIds = new Map<string, number>();
  private nextPosition: number;
  private block: OpenBlock | undefined;
  private readonly rollups: RollupWriter;

  constructor(file: string, options: OpenOptions = {}) {
    this.db = openStoreDatabase(file, options);
    this.statements = this.prepare();
    this.rollups = new RollupWriter(this.db);
    const counters = this.statements.counters.get();
    this.nextPosition = counters?.next_position ?? 1;
  }

  private prepare() {
    const db = this.db;
    return {
      counters: db.prepare<[], { next_position: number; spans: number }>('SELECT next_position, spans FROM counters'),
      setCounters: db.prepare('UPDATE counters SET next_position = ?, spans = spans + ?'),
      insertResource: db.prepare('INSERT OR IGNORE INTO resources (id, service, schema_url, body) VALUES (?, ?, ?, ?)'),
      findOperation: db.prepare<[string, string, number], { id: number }>('SELECT id FROM operations WHERE service = ? AND name = ? AND kind = ?'),
      insertOperation: db.prepare('INSERT INTO operations (service, name, kind, chunks) VALUES (?, ?, ?, 0)'),
      countOperation: db.prepare('UPDATE operations SET chunks = chunks + ? WHERE id = ?'),
      forgetOperations: db.prepare('DELETE FROM operations WHERE chunks <= 0'),
      insertChunk: db.prepare('INSERT INTO chunks (id, bucket, trace_id, spans, ops, body) VALUES (?, ?, ?, ?, ?, ?)'),
      upsertBlock: db.prepare(
        `INSERT INTO blocks (id, last_chunk, min_start_us, max_start_us, filter) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET last_chunk = excluded.last_chunk, min_start_us = excluded.min_start_us,
           max_start_us = excluded.max_start_us, filter = excluded.filter`,
      ),
      insertDirectory: db.prepare('INSERT INTO directories (id, directory) VALUES (?, ?)'),
      deleteOrphanDirectories: db.prepare('DELETE FROM directories WHERE id < COALESCE((SELECT MIN(id) FROM blocks), ?)'),
      insertIngest: db.prepare('INSERT INTO ingests (row_end, received_us) VALUES (?, ?)'),
      insertLog: db.prepare(
        `INSERT INTO logs (trace_id, span_id, time_us, severity_number, severity_text, resource_id, service, scope, body)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      insertLogIngest: db.prepare('INSERT INTO log_ingests (row_end, received_us) VALUES (?, ?)'),
      minChunk: db.prepare<[], { id: number | null }>('SELECT MIN(id) AS id FROM chunks'),
      minBlockStart: db.prepare<[], { us: number | null }>('SELECT MIN(min_start_us) AS us FROM blocks'),
      resourceService: db.prepare<[bigint], { service: string }>('SELECT service FROM resources WHERE id = ?'),
      lastPositionIngestedBefore: db.prepare<[number], { row: number | null }>('SELECT MAX(row_end) AS row FROM ingests WHERE received_us < ?'),
      chunkOpsUpTo: db.prepare<[number], { spans: number; ops: Buffer }>('SELECT spans, ops FROM chunks WHERE id <= ?'),
      deleteChunksUpTo: db.prepare('DELETE FROM chunks WHERE id <= ?'),
      deleteBlocksUpTo: db.prepare('DELETE FROM blocks WHERE last_chunk <= ?'),
      deleteIngestsUpTo: db.prepare('DELETE FROM ingests WHERE row_end <= ?'),
      logRowBounds: db.prepare<[], { min: number | null; max: number | null }>('SELECT (SELECT MIN(row) FROM logs) AS min, (SELECT MAX(row) FROM logs) AS max'),
      lastLogRowIngestedBefore: db.prepare<[number], { row: number | null }>('SELECT MAX(row_end) AS row FROM log_ingests WHERE received_us < ?'),
      deleteLogs: db.prepare('DELETE FROM logs WHERE row <= ?'),
      deleteLogIngests: db.prepare('DELETE FROM log_ingests WHERE row_end <= ?'),
    };
  }

  /**
   * Stores the spans and log records of a group commit in one transaction,
   * so it is either all on disk or not at all. `receivedUs` (microseconds
   * since the epoch) dates it for age-based retention and stands in for a
   * log record's missing timestamps.
   */
  write(batch: IngestBatch, receivedUs: number): { spans: number; logs: number } {
    const positionBefore = this.nextPosition;
    try {
      return this.db.transaction(() => ({ spans: this.writeSpans(batch.spans, receivedUs), logs: this.writeLogs(batch.logs, receivedUs) }))();
    } catch (e) {
      // Nothing of it was committed: forget what this commit added in memory too. The open block's row is as of
      // the last commit, complete for the chunks it lists; the next commit starts a block of its own.
      this.block = undefined;
      this.nextPosition = positionBefore;
      this.operationIds.clear();
      this.knownResources.clear();
      throw e;
    }
  }

  private resource(r: PreparedResource): void {
    if (this.knownResources.has(r.id)) return;
    this.statements.insertResource.run(r.id, r.service, r.schemaUrl, r.body);
    // Resources repeat in every export of a process; bounded by dropping the cache wholesale, which only costs an INSERT OR IGNORE.
    if (this.knownResources.size >= 10_000) this.knownResources.clear();
    this.knownResources.add(r.id);
  }

  private operationId(service: string, name: string, kind: number): number {
    const key = `${service}\0${name}\0${kind}`;
    let id = this.operationIds.get(key);
    if (id === undefined) {
      const s = this.statements;
      id = s.findOperation.get(service, name, kind)?.id ?? Number(s.insertOperation.run(service, name, kind).lastInsertRowid);
      if (this.operationIds.size >= 100_000) this.operationIds.clear();
      this.operationIds.set(key, id);
    }
    return id;
  }

  private writeSpans(exports: readonly PreparedSpans[], receivedUs: number): number {
    const s = this.statements;
    let written = 0;
    const opChunks = new Map<number, number>();
    for (const ex of exports) {
      const c = ex.chunks;
      if (c.count === 0) continue;
      for (const r of ex.resources) this.resource(r);
      this.rollups.apply(ex.rollups, ex.operations, 1);
      const opIds = ex.operations.map((op) => this.operationId(op.service, op.name, op.kind));
      for (let i = 0; i < c.count; i++) {
        const id = this.nextPosition;
        const spans = c.spans[i] as number;
        this.nextPosition += spans;
        written += spans;
        const opStart = i === 0 ? 0 : (c.opEnds[i - 1] as number);
        const opEnd = c.opEnds[i] as number;
        const ops = new Uint32Array(opEnd - opStart);
        for (let k = opStart; k < opEnd; k++) {
          const op = opIds[c.ops[k] as number] as number;
          ops[k - opStart] = op;
          opChunks.set(op, (opChunks.get(op) ?? 0) + 1);
        }
        const bodyStart = i === 0 ? 0 : (c.bodyEnds[i - 1] as number);
        const traceId = c.traceIds.subarray(16 * i, 16 * i + 16);
        s.insertChunk.run(id, Math.floor(id / 2 ** BUCKET_SHIFT), traceId, spans, new Uint8Array(ops.buffer), c.bodies.subarray(bodyStart, c.bodyEnds[i]));
        const filterStart = i === 0 ? 0 : (c.filterEnds[i - 1] as number);
        this.addToBlock(
          { id, traceId, bounds: c.bounds.subarray(4 * i, 4 * i + 4), filter: c.filters.subarray(filterStart, c.filterEnds[i]) },
          ex.terms,
        );
      }
    }
    if (written === 0) return 0;
    for (const [op, n] of opChunks) s.countOperation.run(n, op);
    this.writeBlock();
    s.insertIngest.run(this.nextPosition - 1, receivedUs);
    s.setCounters.run(this.nextPosition, written);
    return written;
  }

  private addToBlock(entry: DirectoryEntry, exportTerms: Int32Array): void {
    let block = this.block;
    if (block && block.lastTerms !== exportTerms) {
      let fresh = 0;
      for (const t of exportTerms) if (!block.terms.has(t)) fresh++;
      if (block.chunks >= BLOCK_MAX_CHUNKS || (block.terms.size + fresh > BLOCK_TERMS && block.chunks > 0)) {
        this.writeBlock();
        block = undefined;
      }
    }
    block ??= this.block = {
      id: entry.id,
      lastChunk: entry.id,
      chunks: 0,
      filter: new Uint8Array(BLOCK_FILTER_BYTES),
      terms: new Set(),
      lastTerms: undefined,
      minStartUs: Infinity,
      maxStartUs: -Infinity,
      pending: [],
    };
    // Every term of the export, once per block it reaches: exactly the union of its chunks' terms.
    if (block.lastTerms !== exportTerms) {
      for (const t of exportTerms) {
        if (block.terms.has(t)) continue;
        block.terms.add(t);
        bloomAdd(block.filter, BLOCK_PROBES, t);
      }
      block.lastTerms = exportTerms;
    }
    // Copies: the entry's arrays are views into the export's buffers.
    block.pending.push({ id: entry.id, traceId: entry.traceId.slice(), bounds: Array.from(entry.bounds), filter: entry.filter.slice() });
    block.chunks++;
    block.lastChunk = entry.id;
    block.minStartUs = Math.min(block.minStartUs, entry.bounds[0] as number);
    block.maxStartUs = Math.max(block.maxStartUs, entry.bounds[1] as number);
  }

  /** Writes the open block's row and the piece of its directory added since the last write. */
  private writeBlock(): void {
    const b = this.block;
    if (!b || b.pending.length === 0) return;
    const s = this.statements;
    s.insertDirectory.run((b.pending[0] as DirectoryEntry).id, encodeDirectory(b.pending));
    s.upsertBlock.run(b.id, b.lastChunk, b.minStartUs, b.maxStartUs, b.filter);
    b.pending = [];
  }

  private writeLogs(exports: readonly PreparedLogs[], receivedUs: number): number {
    const s = this.statements;
    let written = 0;
    let lastRow = 0;
    for (const ex of exports) {
      for (const r of ex.resources) this.resource(r);
      for (const record of ex.records) {
        const resource = ex.resources[record.resource] as PreparedResource;
        // OTLP: time_unix_nano is optional (0 = unknown); the observed time is what the SDK or collector stamped on it.
        const ns = record.timeUnixNano !== '0' ? record.timeUnixNano : record.observedTimeUnixNano;
        const timeUs = ns !== '0' ? Number(BigInt(ns) / 1000n) : receivedUs;
        lastRow = Number(
          s.insertLog.run(record.traceId, record.spanId, timeUs, record.severityNumber, record.severityText, resource.id, resource.service, record.scope, record.body)
            .lastInsertRowid,
        );
        written++;
      }
    }
    if (written > 0) s.insertLogIngest.run(lastRow, receivedUs);
    return written;
  }

  /**
   * Deletes at most about `chunk` of the spans and at most `chunk` of the
   * log records the policy no longer keeps, oldest first, each in one short
   * transaction. Returns the larger of the two counts; callers repeat
   * (yielding in between) while it returns `chunk` or more, so a large
   * backlog never holds the write lock for long. Chunks are deleted whole:
   * one that holds the span at the cutoff goes, so the store keeps fewer
   * spans than `maxSpans`, never more.
   */
  enforceRetention(policy: RetentionPolicy, nowUs: number, chunk: number): number {
    return Math.max(this.enforceSpanRetention(policy, nowUs, chunk), this.enforceLogRetention(policy, nowUs, chunk));
  }

  private enforceSpanRetention(policy: RetentionPolicy, nowUs: number, chunk: number): number {
    const s = this.statements;
    const min = s.minChunk.get()?.id ?? null;
    if (min === null) return 0;
    const last = this.nextPosition - 1;
    let cutoff = 0;
    if (policy.maxSpans > 0) cutoff = Math.max(cutoff, last - policy.maxSpans);
    if (policy.maxAgeUs > 0) cutoff = Math.max(cutoff, s.lastPositionIngestedBefore.get(nowUs - policy.maxAgeUs)?.row ?? 0);
    if (cutoff < min) return 0;
    const upTo = Math.min(cutoff, min + chunk - 1);
    return this.db.transaction(() => {
      const deleted = this.deleteChunks(s.chunkOpsUpTo.all(upTo));
      s.deleteChunksUpTo.run(upTo);
      s.deleteBlocksUpTo.run(upTo);
      s.deleteOrphanDirectories.run(this.nextPosition);
      s.deleteIngestsUpTo.run(upTo);
      // Rollups of periods before every stored span go with them (a period's rollup outlives the first of its spans).
      const minStartUs = s.minBlockStart.get()?.us ?? null;
      this.rollups.pruneBefore(minStartUs === null ? undefined : Math.floor(minStartUs / 1e6));
      return deleted;
    })();
  }

  /** Books the deletion of chunks (given their spans and ops): counters and operations. Returns the spans. */
  private deleteChunks(rows: readonly { spans: number; ops: Buffer }[]): number {
    const opChunks = new Map<number, number>();
    let spans = 0;
    for (const row of rows) {
      spans += row.spans;
      const ops = new Uint32Array(row.ops.buffer.slice(row.ops.byteOffset, row.ops.byteOffset + row.ops.byteLength));
      for (const op of ops) opChunks.set(op, (opChunks.get(op) ?? 0) + 1);
    }
    const s = this.statements;
    for (const [op, n] of opChunks) s.countOperation.run(-n, op);
    if (opChunks.size > 0 && s.forgetOperations.run().changes > 0) this.operationIds.clear();
    s.setCounters.run(this.nextPosition, -spans);
    return spans;
  }

  private enforceLogRetention(policy: RetentionPolicy, nowUs: number, chunk: number): number {
    const s = this.statements;
    const { min, max } = s.logRowBounds.get() ?? { min: null, max: null };
    if (min === null || max === null) return 0;
    let cutoff = 0;
    if (policy.maxSpans > 0) cutoff = Math.max(cutoff, max - policy.maxSpans);
    if (policy.maxAgeUs > 0) cutoff = Math.max(cutoff, s.lastLogRowIngestedBefore.get(nowUs - policy.maxAgeUs)?.row ?? 0);
    if (cutoff < min) return 0;
    const upTo = Math.min(cutoff, min + chunk - 1);
    return this.db.transaction(() => {
      const deleted = s.deleteLogs.run(upTo).changes;
      s.deleteLogIngests.run(upTo);
      return deleted;
    })();
  }

  /**
   * Deletes every chunk of the given traces (32 hex digits each) in one
   * transaction: the tail sampler's drops. Log records stay: they are kept
   * even without spans. Returns the spans deleted.
   */
  deleteTraces(traceIds: readonly string[]): number {
    const min = this.statements.minChunk.get()?.id ?? null;
    if (min === null || traceIds.length === 0) return 0;
    const buckets = bucketsBetween(min, this.nextPosition - 1);
    const del = this.db.prepare<[Buffer], { spans: number; ops: Buffer; body: Buffer }>(
      `DELETE FROM chunks WHERE bucket IN (${buckets.join(',')}) AND trace_id = ? RETURNING spans, ops, body`,
    );
    return this.db.transaction(() => {
      const rows = traceIds.flatMap((id) => del.all(traceIdBytes(id)));
      this.subtractRollups(rows.map((row) => row.body));
      return this.deleteChunks(rows);
    })();
  }

  /** Takes the spans of deleted chunks out of the rollups, so the metrics count only the spans stored. */
  private subtractRollups(bodies: readonly Buffer[]): void {
    const builder = new RollupBuilder();
    const series = new SeriesList();
    const services = new Map<bigint, string>();
    for (const body of bodies) {
      const chunk = Chunk.decode(body) as unknown as PbChunk;
      for (const rc of chunk.resources) {
        const resourceId = i64(rc.resource);
        let service = services.get(resourceId);
        if (service === undefined) services.set(resourceId, (service = this.statements.resourceService.get(resourceId)?.service ?? ''));
        for (const ss of rc.scopeSpans) {
          for (const span of ss.spans) {
            const id = series.idOf(service, span.name, span.kind);
            const start = u64Approx(span.startTimeUnixNano);
            builder.add(id, start, u64Approx(span.endTimeUnixNano) - start, span.status?.code === StatusCode.ERROR);
          }
        }
      }
    }
    this.rollups.apply(builder.build(), series.series, -1);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/** The trace-id index buckets that chunks with ids from `min` to `max` fall in. */
export function bucketsBetween(min: number, max: number): number[] {
  const out: number[] = [];
  for (let b = Math.floor(min / 2 ** BUCKET_SHIFT); b <= Math.floor(max / 2 ** BUCKET_SHIFT); b++) out.push(b);
  return out;
}
