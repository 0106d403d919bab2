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
import { valueText } from '../otlp/values.js';
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

/** A trace search. Every condition must hold for one span of the trace. Times in microseconds. */
export interface TraceQuery {
  service?: string;
  operation?: string;
  spanKind?: number;
  /** Attribute (span, event or resource) key to text value, as valueText() renders it. */
  tags: Record<string, string>;
  startMinUs?: number;
  startMaxUs?: number;
  durationMinUs?: number;
  durationMaxUs?: number;
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
        `INSERT INTO spans (row, trace_id, span_id, parent_span_id, resource_id, service, name, kind, start_us, duration_us, error, scope, body)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
      traceSpans: db.prepare<[string], { resource_id: number; scope: string; body: string }>(
        'SELECT resource_id, scope, body FROM spans WHERE trace_id = ? ORDER BY row',
      ),
      resource: db.prepare<[number], { body: string; service: string }>('SELECT body, service FROM resources WHERE id = ?'),
      services: db.prepare<[], { service: string }>('SELECT DISTINCT service FROM operations ORDER BY service'),
      operations: db.prepare<[string], { name: string; kind: number }>(
        'SELECT name, kind FROM operations WHERE service = ? ORDER BY name, kind',
      ),
      dependencies: db.prepare<[number, number], Dependency>(
        `SELECT p.service AS parent, c.service AS child, COUNT(*) AS callCount
         FROM spans c JOIN spans p ON p.trace_id = c.trace_id AND p.span_id = c.parent_span_id
         WHERE c.start_us BETWEEN ? AND ? AND p.service <> c.service
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
        for (const ss of rs.scopeSpans) {
          const scope = JSON.stringify({ scope: ss.scope, schemaUrl: ss.schemaUrl } satisfies ScopeRecord);
          for (const span of ss.spans) {
            const startNs = BigInt(span.startTimeUnixNano);
            const startUs = Number(startNs / 1000n);
            const durationUs = Number((BigInt(span.endTimeUnixNano) - startNs) / 1000n);
            const isError = span.status.code === StatusCode.ERROR ? 1 : 0;
            const row = this.nextSpanRow++;
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
              JSON.stringify(span),
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
          const scope = JSON.stringify({ scope: sl.scope, schemaUrl: sl.schemaUrl } satisfies ScopeRecord);
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
                JSON.stringify(record),
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
    const body = JSON.stringify(record);
    const cached = this.resourceIds.get(body);
    if (cached !== undefined) return cached;
    const s = this.statements;
    let id = s.findResource.get(body)?.id;
    if (id === undefined) {
      id = Number(s.insertResource.run(body, record.service).lastInsertRowid);
      for (const kv of resource.attributes) {
        const value = valueText(kv.value);
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
        if (r) resources.set(row.resource_id, JSON.parse(r.body) as ResourceRecord);
      }
      return { resourceId: row.resource_id, scope: JSON.parse(row.scope) as ScopeRecord, span: JSON.parse(row.body) as Span };
    });
    return { traceId, spans, resources };
  }

  /** The log records of a trace, by time (then arrival). */
  traceLogs(traceId: string): StoredLog[] {
    return this.statements.traceLogs
      .all(traceId)
      .map((row) => ({ timeUs: row.time_us, service: row.service, record: JSON.parse(row.body) as LogRecord }));
  }

  services(): string[] {
    return this.statements.services.all().map((r) => r.service);
  }

  operations(service: string): Operation[] {
    return this.statements.operations.all(service);
  }

  /** Trace ids of the traces with a span matching every condition, most recent match first. */
  findTraceIds(q: TraceQuery): string[] {
    const where: string[] = [];
    const params: (string | number)[] = [];
    const add = (sql: string, ...values: (string | number)[]) => {
      where.push(sql);
      params.push(...values);
    };
    if (q.service !== undefined) add('s.service = ?', q.service);
    if (q.operation !== undefined) add('s.name = ?', q.operation);
    if (q.spanKind !== undefined) add('s.kind = ?', q.spanKind);
    if (q.startMinUs !== undefined) add('s.start_us >= ?', q.startMinUs);
    if (q.startMaxUs !== undefined) add('s.start_us <= ?', q.startMaxUs);
    if (q.durationMinUs !== undefined) add('s.duration_us >= ?', q.durationMinUs);
    if (q.durationMaxUs !== undefined) add('s.duration_us <= ?', q.durationMaxUs);
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
      .prepare<(string | number)[], { traceId: string }>(sql)
      .all(...params, q.limit)
      .map((r) => r.traceId);
  }

  /** Calls between services: child spans whose parent belongs to another service, by child start time. */
  dependencies(startUs: number, endUs: number): Dependency[] {
    return this.statements.dependencies.all(startUs, endUs);
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

/** The searchable key/value pairs of a span: its attributes, its events' and what Jaeger derives as tags. */
function spanTags(span: Span, scope: InstrumentationScope): Iterable<[key: string, value: string]> {
  const tags = new Map<string, [string, string]>(); // deduplicated by key and value
  const add = (key: string, value: string) => {
    if (value.length <= MAX_TAG_VALUE) tags.set(`${key}\u0000${value}`, [key, value]);
  };
  for (const kv of span.attributes) add(kv.key, valueText(kv.value));
  for (const event of span.events) {
    add('event', event.name);
    for (const kv of event.attributes) add(kv.key, valueText(kv.value));
  }
  if (span.kind !== SpanKind.UNSPECIFIED) add('span.kind', SPAN_KIND_TAG[span.kind] ?? '');
  if (span.status.code !== StatusCode.UNSET) add('otel.status_code', STATUS_CODE_TAG[span.status.code] ?? '');
  if (span.status.code === StatusCode.ERROR) add('error', 'true');
  if (scope.name) add('otel.scope.name', scope.name);
  return tags.values();
}
