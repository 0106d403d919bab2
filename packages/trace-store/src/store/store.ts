import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import {
  SpanKind,
  StatusCode,
  serviceNameOf,
  type InstrumentationScope,
  type LogRecord,
  type Resource,
  type ResourceLogs,
  type ResourceSpans,
  type Span,
} from '../otlp/model.js';
import { goAsString } from '../otlp/go-format.js';
import { lockDatabaseFile, type OwnerLock } from './owner-lock.js';
import { SCHEMA, SCHEMA_VERSION, UPGRADES } from './schema.js';

export interface ResourceRecord {
  resource: Resource;
  schemaUrl: string;
  service: string;
}

export interface ScopeRecord {
  scope: InstrumentationScope;
  schemaUrl: string;
}

export interface StoredSpan {
  resourceId: number;
  scope: ScopeRecord;
  span: Span;
  /**
   * Where the span sat in its export: the row of the first span of its
   * ResourceSpans and of its ScopeSpans there (0 for rows written before
   * schema version 3). Spans sharing both came in the same ScopeSpans.
   */
  resourceChunk: number;
  scopeChunk: number;
}

export interface StoredTrace {
  traceId: string;
  /** In arrival order. */
  spans: StoredSpan[];
  resources: Map<number, ResourceRecord>;
}

/** A log record as the store returns it. */
export interface StoredLog {
  /** Event time, else observed time, else the time it was received; microseconds since the epoch. */
  timeUs: number;
  service: string;
  record: LogRecord;
}

/** What one group commit writes: export requests of either signal, in one transaction. */
export interface IngestBatch {
  spans: readonly ResourceSpans[][];
  logs: readonly ResourceLogs[][];
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

export interface RetentionPolicy {
  /** Spans and log records ingested longer ago than this are deleted; 0 keeps them forever. Microseconds. */
  maxAgeUs: number;
  /** At most this many spans, and separately this many log records, are kept, newest first; 0 for no limit. */
  maxSpans: number;
}

/** Longest indexed tag value; longer values are stored but not searchable. */
const MAX_TAG_VALUE = 1024;
const SPAN_KIND_TAG = ['', 'internal', 'server', 'client', 'producer', 'consumer'];
const STATUS_CODE_TAG = ['', 'OK', 'ERROR'];

/**
 * The trace store: spans in SQLite (WAL), indexed for lookup by trace id and
 * search by service, operation, start time, duration and tags. Spans keep the
 * normalised OTLP form as JSON so both Jaeger API versions can be answered
 * from one copy. All times in columns are microseconds since the epoch.
 *
 * Rows are numbered in ingest order and retention only ever deletes the
 * oldest rows, so "everything up to row N" describes what retention removes.
 */
export class TraceStore {
  private readonly db: Database.Database;
  /** Held for the store's lifetime; none for `:memory:`. */
  private readonly ownerLock: OwnerLock | undefined;
  private readonly resourceIds = new Map<string, number>();
  private readonly knownOperations = new Set<string>();
  private readonly statements;
  /**
   * The next span row. SQLite would hand out MAX(row) + 1, which reuses the
   * numbers of the newest rows once the tail sampler deletes them; rows must
   * only grow (retention's cutoffs in `ingests` depend on it), so the store
   * numbers them itself, above every row ever committed.
   */
  private nextSpanRow: number;

  /** Throws DatabaseInUseError when another store, in this process or another, has the file. */
  constructor(file: string) {
    if (file !== ':memory:') {
      fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
      this.ownerLock = lockDatabaseFile(path.resolve(file));
    }
    try {
      this.db = new Database(file);
    } catch (e) {
      this.ownerLock?.release();
      throw e;
    }
    try {
      this.db.pragma('journal_mode = WAL');
      // FULL: a span is acknowledged only once its commit is on disk.
      this.db.pragma('synchronous = FULL');
      this.db.pragma('busy_timeout = 5000');
      this.db.pragma('cache_size = -32000');
      this.migrate();
    } catch (e) {
      this.db.close();
      this.ownerLock?.release();
      throw e;
    }
    this.statements = this.prepare();
    const { last } = this.db
      .prepare<[], { last: number | null }>(
        'SELECT MAX(m) AS last FROM (SELECT MAX(row) AS m FROM spans UNION ALL SELECT MAX(row_end) FROM ingests)',
      )
      .get() ?? { last: null };
    this.nextSpanRow = (last ?? 0) + 1;
  }

  private migrate(): void {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    if (version === SCHEMA_VERSION) return;
    if (version === 0) {
      this.db.exec(SCHEMA);
      this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
      return;
    }
    const steps: string[] = [];
    for (let v = version; v < SCHEMA_VERSION; v++) {
      const step = UPGRADES[v];
      if (step === undefined) break;
      steps.push(step);
    }
    if (version > SCHEMA_VERSION || steps.length !== SCHEMA_VERSION - version) {
      throw new Error(
        `the database has schema version ${version} but this collector uses version ${SCHEMA_VERSION}; point --db at a new file`,
      );
    }
    // All steps or none, so a failed upgrade leaves the file as it was.
    this.db.transaction(() => {
      for (const step of steps) this.db.exec(step);
      this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
    })();
  }

  private prepare() {
    const db = this.db;
    return {
      findResource: db.prepare<[string], { id: number }>('SELECT id FROM resources WHERE body = ?'),
      insertResource: db.prepare('INSERT INTO resources (body, service) VALUES (?, ?)'),
      insertResourceTag: db.prepare('INSERT OR IGNORE INTO resource_tags (key, value, resource_id) VALUES (?, ?, ?)'),
      insertSpan: db.prepare(
        `INSERT INTO spans (row, trace_id, span_id, parent_span_id, resource_id, service, name, kind, start_us, duration_us, error, scope, body, resource_chunk, scope_chunk)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      insertSpanTag: db.prepare('INSERT OR IGNORE INTO span_tags (span_row, key, value) VALUES (?, ?, ?)'),
      insertOperation: db.prepare('INSERT OR IGNORE INTO operations (service, name, kind) VALUES (?, ?, ?)'),
      insertIngest: db.prepare('INSERT INTO ingests (row_end, received_us) VALUES (?, ?)'),
      insertLog: db.prepare(
        `INSERT INTO logs (trace_id, span_id, time_us, severity_number, severity_text, resource_id, service, scope, body)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      insertLogIngest: db.prepare('INSERT INTO log_ingests (row_end, received_us) VALUES (?, ?)'),
      traceLogs: db.prepare<[string], { time_us: number; service: string; body: string }>(
        'SELECT time_us, service, body FROM logs WHERE trace_id = ? ORDER BY time_us, row',
      ),
      traceSpans: db.prepare<[string], { resource_id: number; scope: string; body: string; resource_chunk: number; scope_chunk: number }>(
        'SELECT resource_id, scope, body, resource_chunk, scope_chunk FROM spans WHERE trace_id = ? ORDER BY row',
      ),
      resource: db.prepare<[number], { body: string; service: string }>('SELECT body, service FROM resources WHERE id = ?'),
      services: db.prepare<[], { service: string }>('SELECT DISTINCT service FROM operations ORDER BY service'),
      operations: db.prepare<[string], { name: string; kind: number }>(
        'SELECT name, kind FROM operations WHERE service = ? ORDER BY name, kind',
      ),
      // Jaeger's memory storage: traces wholly inside the window (first
      // start after its start, last end before its end, to the nanosecond),
      // and in them every span whose parent is there, the parent being the
      // first span received with that id. Calls within a service count too.
      dependencies: db.prepare<[number, number, bigint, bigint], Dependency>(
        `WITH candidates AS (SELECT DISTINCT trace_id FROM spans WHERE start_us BETWEEN ? AND ?),
              inside AS (
                SELECT s.trace_id FROM spans s JOIN candidates USING (trace_id) GROUP BY s.trace_id
                HAVING MIN(${START_NS}) > ? AND MAX(${END_NS}) < ?)
         SELECT p.service AS parent, c.service AS child, COUNT(*) AS callCount
         FROM spans c JOIN inside USING (trace_id)
         JOIN spans p ON p.row = (SELECT MIN(x.row) FROM spans x WHERE x.trace_id = c.trace_id AND x.span_id = c.parent_span_id)
         WHERE c.parent_span_id <> ''
         GROUP BY p.service, c.service ORDER BY p.service, c.service`,
      ),
      rowBounds: db.prepare<[], { min: number | null; max: number | null }>('SELECT MIN(row) AS min, MAX(row) AS max FROM spans'),
      lastRowIngestedBefore: db.prepare<[number], { row: number | null }>(
        'SELECT MAX(row_end) AS row FROM ingests WHERE received_us < ?',
      ),
      deleteSpans: db.prepare('DELETE FROM spans WHERE row <= ?'),
      deleteTraceSpanTags: db.prepare('DELETE FROM span_tags WHERE span_row IN (SELECT row FROM spans WHERE trace_id = ?)'),
      deleteTraceSpans: db.prepare('DELETE FROM spans WHERE trace_id = ?'),
      deleteSpanTags: db.prepare('DELETE FROM span_tags WHERE span_row <= ?'),
      deleteIngests: db.prepare('DELETE FROM ingests WHERE row_end <= ?'),
      logRowBounds: db.prepare<[], { min: number | null; max: number | null }>('SELECT MIN(row) AS min, MAX(row) AS max FROM logs'),
      lastLogRowIngestedBefore: db.prepare<[number], { row: number | null }>(
        'SELECT MAX(row_end) AS row FROM log_ingests WHERE received_us < ?',
      ),
      deleteLogs: db.prepare('DELETE FROM logs WHERE row <= ?'),
      deleteLogIngests: db.prepare('DELETE FROM log_ingests WHERE row_end <= ?'),
      pruneOperations: db.prepare(
        'DELETE FROM operations WHERE NOT EXISTS (SELECT 1 FROM spans s WHERE s.service = operations.service AND s.name = operations.name)',
      ),
    };
  }

  /**
   * Stores every span of the given requests in one transaction, so a batch is
   * either all on disk or not at all. `receivedUs` (microseconds since the
   * epoch) dates the batch for age-based retention. Returns the spans written.
   */
  insert(requests: readonly ResourceSpans[][], receivedUs: number): number {
    return this.write({ spans: requests, logs: [] }, receivedUs).spans;
  }

  /**
   * Stores the spans and log records of a group commit in one transaction.
   * `receivedUs` (microseconds since the epoch) dates them for age-based
   * retention and stands in for a log record's missing timestamps.
   */
  write(batch: IngestBatch, receivedUs: number): { spans: number; logs: number } {
    return this.db.transaction(() => ({
      spans: this.insertSpans(batch.spans, receivedUs),
      logs: this.insertLogs(batch.logs, receivedUs),
    }))();
  }

  private insertSpans(requests: readonly ResourceSpans[][], receivedUs: number): number {
    const s = this.statements;
    let written = 0;
    let lastRow = 0;
    for (const request of requests) {
      for (const rs of request) {
        const resourceId = this.resourceId(rs.resource, rs.schemaUrl);
        const service = serviceNameOf(rs.resource);
        let resourceChunk = 0;
        for (const ss of rs.scopeSpans) {
          const scope = toJson({ scope: ss.scope, schemaUrl: ss.schemaUrl } satisfies ScopeRecord);
          let scopeChunk = 0;
          for (const span of ss.spans) {
            const startNs = BigInt(span.startTimeUnixNano);
            const startUs = Number(startNs / 1000n);
            const durationUs = Number((BigInt(span.endTimeUnixNano) - startNs) / 1000n);
            const isError = span.status.code === StatusCode.ERROR ? 1 : 0;
            const row = this.nextSpanRow++;
            resourceChunk ||= row;
            scopeChunk ||= row;
            s.insertSpan.run(
              row,
              span.traceId,
              span.spanId,
              span.parentSpanId,
              resourceId,
              service,
              span.name,
              span.kind,
              startUs,
              durationUs,
              isError,
              scope,
              toJson(span),
              resourceChunk,
              scopeChunk,
            );
            for (const [key, value] of spanTags(span, ss.scope)) s.insertSpanTag.run(row, key, value);
            this.noteOperation(service, span.name, span.kind);
            lastRow = row;
            written++;
          }
        }
      }
    }
    if (written > 0) s.insertIngest.run(lastRow, receivedUs);
    return written;
  }

  private insertLogs(requests: readonly ResourceLogs[][], receivedUs: number): number {
    const s = this.statements;
    let written = 0;
    let lastRow = 0;
    for (const request of requests) {
      for (const rl of request) {
        const resourceId = this.resourceId(rl.resource, rl.schemaUrl);
        const service = serviceNameOf(rl.resource);
        for (const sl of rl.scopeLogs) {
          const scope = toJson({ scope: sl.scope, schemaUrl: sl.schemaUrl } satisfies ScopeRecord);
          for (const record of sl.logRecords) {
            // OTLP: time_unix_nano is optional (0 = unknown); the observed
            // time is what the SDK or collector stamped on it.
            const ns = record.timeUnixNano !== '0' ? record.timeUnixNano : record.observedTimeUnixNano;
            const timeUs = ns !== '0' ? Number(BigInt(ns) / 1000n) : receivedUs;
            lastRow = Number(
              s.insertLog.run(
                record.traceId,
                record.spanId,
                timeUs,
                record.severityNumber,
                record.severityText,
                resourceId,
                service,
                scope,
                toJson(record),
              ).lastInsertRowid,
            );
            written++;
          }
        }
      }
    }
    if (written > 0) s.insertLogIngest.run(lastRow, receivedUs);
    return written;
  }

  private resourceId(resource: Resource, schemaUrl: string): number {
    const record: ResourceRecord = { resource, schemaUrl, service: serviceNameOf(resource) };
    const body = toJson(record);
    const cached = this.resourceIds.get(body);
    if (cached !== undefined) return cached;
    const s = this.statements;
    let id = s.findResource.get(body)?.id;
    if (id === undefined) {
      id = Number(s.insertResource.run(body, record.service).lastInsertRowid);
      for (const kv of resource.attributes) {
        const value = goAsString(kv.value);
        if (value.length <= MAX_TAG_VALUE) s.insertResourceTag.run(kv.key, value, id);
      }
    }
    // Resources repeat in every export of a process; the cache is bounded by
    // dropping it wholesale, which only costs a lookup per resource.
    if (this.resourceIds.size >= 10_000) this.resourceIds.clear();
    this.resourceIds.set(body, id);
    return id;
  }

  private noteOperation(service: string, name: string, kind: number): void {
    const key = `${kind}\u0000${service}\u0000${name}`;
    if (this.knownOperations.has(key)) return;
    this.statements.insertOperation.run(service, name, kind);
    if (this.knownOperations.size >= 100_000) this.knownOperations.clear();
    this.knownOperations.add(key);
  }

  getTrace(traceId: string): StoredTrace | undefined {
    const rows = this.statements.traceSpans.all(traceId);
    if (rows.length === 0) return undefined;
    const resources = new Map<number, ResourceRecord>();
    const spans = rows.map((row): StoredSpan => {
      if (!resources.has(row.resource_id)) {
        const r = this.statements.resource.get(row.resource_id);
        if (r) resources.set(row.resource_id, fromJson<ResourceRecord>(r.body));
      }
      return {
        resourceId: row.resource_id,
        scope: fromJson<ScopeRecord>(row.scope),
        span: fromJson<Span>(row.body),
        resourceChunk: row.resource_chunk,
        scopeChunk: row.scope_chunk,
      };
    });
    return { traceId, spans, resources };
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

  /**
   * Trace ids of the traces with a span matching every condition, the one
   * with the latest matching span first. Windows and durations are compared
   * to the nanosecond: the microsecond columns narrow the search (and use the
   * indexes), the span body settles the rows on a boundary microsecond.
   */
  findTraceIds(q: TraceQuery): string[] {
    const where: string[] = [];
    const params: (string | number | bigint)[] = [];
    const add = (sql: string, ...values: (string | number | bigint)[]) => {
      where.push(sql);
      params.push(...values);
    };
    if (q.service !== undefined) add('s.service = ?', q.service);
    if (q.operation !== undefined) add('s.name = ?', q.operation);
    if (q.startMinNs !== undefined) {
      const us = floorDiv(q.startMinNs, 1000n);
      add(`s.start_us >= ? AND (s.start_us > ? OR ${START_NS} >= ?)`, us, us, q.startMinNs);
    }
    if (q.startMaxNs !== undefined) {
      const us = floorDiv(q.startMaxNs, 1000n);
      add(`s.start_us <= ? AND (s.start_us < ? OR ${START_NS} <= ?)`, us, us, q.startMaxNs);
    }
    if (q.durationMinNs) {
      const us = floorDiv(q.durationMinNs, 1000n);
      add(`s.duration_us >= ? AND (s.duration_us > ? OR ${END_NS} - ${START_NS} >= ?)`, us, us, q.durationMinNs);
    }
    if (q.durationMaxNs) {
      const us = floorDiv(q.durationMaxNs, 1000n);
      add(`s.duration_us <= ? AND (s.duration_us < ? OR ${END_NS} - ${START_NS} <= ?)`, us, us, q.durationMaxNs);
    }
    for (const [key, value] of Object.entries(q.tags)) {
      add(
        `(s.row IN (SELECT span_row FROM span_tags WHERE key = ? AND value = ?)
          OR s.resource_id IN (SELECT resource_id FROM resource_tags WHERE key = ? AND value = ?))`,
        key,
        value,
        key,
        value,
      );
    }
    const sql = `SELECT s.trace_id AS traceId, MAX(s.start_us) AS last FROM spans s
      ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
      GROUP BY s.trace_id ORDER BY last DESC LIMIT ?`;
    return this.db
      .prepare<(string | number | bigint)[], { traceId: string }>(sql)
      .all(...params, q.limit)
      .map((r) => r.traceId);
  }

  /**
   * Calls between services (and within one) in the traces lying wholly
   * inside the window: after startNs, before endNs (nanoseconds, both
   * exclusive, as Jaeger's memory storage compares them).
   */
  dependencies(startNs: bigint, endNs: bigint): Dependency[] {
    const startUs = Number(floorDiv(startNs, 1000n));
    const endUs = Number(floorDiv(endNs, 1000n));
    return this.statements.dependencies.all(startUs, endUs, startNs, endNs);
  }

  /** How many log records the store holds. */
  logCount(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM logs').get() as { n: number }).n;
  }

  /** How many spans the store holds. */
  spanCount(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM spans').get() as { n: number }).n;
  }

  /**
   * Deletes at most `chunk` of the spans and at most `chunk` of the log
   * records the policy no longer keeps, oldest first, each in one short
   * transaction. Returns the larger of the two counts; callers repeat
   * (yielding in between) while it returns `chunk`, so a large backlog never
   * holds the write lock for long.
   */
  enforceRetention(policy: RetentionPolicy, nowUs: number, chunk: number): number {
    return Math.max(this.enforceSpanRetention(policy, nowUs, chunk), this.enforceLogRetention(policy, nowUs, chunk));
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

  private enforceSpanRetention(policy: RetentionPolicy, nowUs: number, chunk: number): number {
    const s = this.statements;
    const { min, max } = s.rowBounds.get() ?? { min: null, max: null };
    if (min === null || max === null) return 0;
    let cutoff = 0;
    if (policy.maxSpans > 0) cutoff = Math.max(cutoff, max - policy.maxSpans);
    if (policy.maxAgeUs > 0) cutoff = Math.max(cutoff, s.lastRowIngestedBefore.get(nowUs - policy.maxAgeUs)?.row ?? 0);
    if (cutoff < min) return 0;
    const upTo = Math.min(cutoff, min + chunk - 1);
    return this.db.transaction(() => {
      const deleted = s.deleteSpans.run(upTo).changes;
      s.deleteSpanTags.run(upTo);
      s.deleteIngests.run(upTo);
      if (upTo === cutoff) {
        s.pruneOperations.run();
        this.knownOperations.clear();
      }
      return deleted;
    })();
  }

  /**
   * Deletes every span (and its tag rows) of the given traces in one
   * transaction; the tail sampler's drops. Log records stay: they are kept
   * even without spans. Returns the spans deleted.
   */
  deleteTraces(traceIds: readonly string[]): number {
    const s = this.statements;
    return this.db.transaction(() => {
      let deleted = 0;
      for (const traceId of traceIds) {
        s.deleteTraceSpanTags.run(traceId);
        deleted += s.deleteTraceSpans.run(traceId).changes;
      }
      return deleted;
    })();
  }

  /** Forgets operations (and so services) that no span has any more. */
  pruneOperations(): void {
    this.statements.pruneOperations.run();
    this.knownOperations.clear();
  }

  close(): void {
    if (this.db.open) this.db.close();
    this.ownerLock?.release();
  }
}

/**
 * JSON for stored bodies, which must keep NaN and the infinities of double
 * attributes (plain JSON turns them into null): they are written as OTLP/JSON
 * writes them, as strings, and read back as numbers. `doubleValue` is only
 * ever an AnyValue member in the stored model.
 */
function toJson(value: unknown): string {
  return JSON.stringify(value, (key, v: unknown) => (key === 'doubleValue' && typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));
}

function fromJson<T>(text: string): T {
  return JSON.parse(text, (key, v: unknown) => (key === 'doubleValue' && typeof v === 'string' ? Number(v) : v)) as T;
}

/** The exact start and end of a span row, from its body, in nanoseconds (SQLite integers are 64-bit). */
const START_NS = "CAST(json_extract(s.body, '$.startTimeUnixNano') AS INTEGER)";
const END_NS = "CAST(json_extract(s.body, '$.endTimeUnixNano') AS INTEGER)";

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

/**
 * The searchable key/value pairs of a span: its attributes, its scope's and
 * its events' (all compared as Jaeger does, by their goAsString text), plus
 * the tags Jaeger's v1 model derives (span.kind, otel.status_code, error,
 * otel.scope.name, and `event` for event names), which Jaeger's persistent
 * storages match as well.
 */
function spanTags(span: Span, scope: InstrumentationScope): Iterable<[key: string, value: string]> {
  const tags = new Map<string, [string, string]>(); // deduplicated by key and value
  const add = (key: string, value: string) => {
    if (value.length <= MAX_TAG_VALUE) tags.set(`${key}\u0000${value}`, [key, value]);
  };
  for (const kv of span.attributes) add(kv.key, goAsString(kv.value));
  for (const kv of scope.attributes) add(kv.key, goAsString(kv.value));
  for (const event of span.events) {
    add('event', event.name);
    for (const kv of event.attributes) add(kv.key, goAsString(kv.value));
  }
  if (span.kind !== SpanKind.UNSPECIFIED) add('span.kind', SPAN_KIND_TAG[span.kind] ?? '');
  if (span.status.code !== StatusCode.UNSET) add('otel.status_code', STATUS_CODE_TAG[span.status.code] ?? '');
  if (span.status.code === StatusCode.ERROR) add('error', 'true');
  if (scope.name) add('otel.scope.name', scope.name);
  return tags.values();
}
