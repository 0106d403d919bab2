import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import {
  SpanKind,
  StatusCode,
  serviceNameOf,
  type InstrumentationScope,
  type Resource,
  type ResourceSpans,
  type Span,
} from '../otlp/model.js';
import { valueText } from '../otlp/values.js';
import { SCHEMA, SCHEMA_VERSION } from './schema.js';

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
  /** Spans ingested longer ago than this are deleted; 0 keeps them forever. Microseconds. */
  maxAgeUs: number;
  /** At most this many spans are kept, newest first; 0 for no limit. */
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
  private readonly resourceIds = new Map<string, number>();
  private readonly knownOperations = new Set<string>();
  private readonly statements;

  constructor(file: string) {
    if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    this.db = new Database(file);
    try {
      this.db.pragma('journal_mode = WAL');
      // FULL: a span is acknowledged only once its commit is on disk.
      this.db.pragma('synchronous = FULL');
      this.db.pragma('busy_timeout = 5000');
      this.db.pragma('cache_size = -32000');
      this.migrate();
    } catch (e) {
      this.db.close();
      throw e;
    }
    this.statements = this.prepare();
  }

  private migrate(): void {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    if (version === SCHEMA_VERSION) return;
    if (version !== 0) {
      throw new Error(
        `the database has schema version ${version} but this collector uses version ${SCHEMA_VERSION}; point --db at a new file`,
      );
    }
    this.db.exec(SCHEMA);
    this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }

  private prepare() {
    const db = this.db;
    return {
      findResource: db.prepare<[string], { id: number }>('SELECT id FROM resources WHERE body = ?'),
      insertResource: db.prepare('INSERT INTO resources (body, service) VALUES (?, ?)'),
      insertResourceTag: db.prepare('INSERT OR IGNORE INTO resource_tags (key, value, resource_id) VALUES (?, ?, ?)'),
      insertSpan: db.prepare(
        `INSERT INTO spans (trace_id, span_id, parent_span_id, resource_id, service, name, kind, start_us, duration_us, error, scope, body)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      insertSpanTag: db.prepare('INSERT OR IGNORE INTO span_tags (span_row, key, value) VALUES (?, ?, ?)'),
      insertOperation: db.prepare('INSERT OR IGNORE INTO operations (service, name, kind) VALUES (?, ?, ?)'),
      insertIngest: db.prepare('INSERT INTO ingests (row_end, received_us) VALUES (?, ?)'),
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
      deleteSpanTags: db.prepare('DELETE FROM span_tags WHERE span_row <= ?'),
      deleteIngests: db.prepare('DELETE FROM ingests WHERE row_end <= ?'),
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
    return this.db.transaction(() => {
      const s = this.statements;
      let written = 0;
      let lastRow = 0;
      for (const request of requests) {
        for (const rs of request) {
          const resourceId = this.resourceId(rs);
          const service = serviceNameOf(rs.resource);
          for (const ss of rs.scopeSpans) {
            const scope = JSON.stringify({ scope: ss.scope, schemaUrl: ss.schemaUrl } satisfies ScopeRecord);
            for (const span of ss.spans) {
              const startNs = BigInt(span.startTimeUnixNano);
              const startUs = Number(startNs / 1000n);
              const durationUs = Number((BigInt(span.endTimeUnixNano) - startNs) / 1000n);
              const isError = span.status.code === StatusCode.ERROR ? 1 : 0;
              const row = Number(
                s.insertSpan.run(
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
                ).lastInsertRowid,
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
    })();
  }

  private resourceId(rs: ResourceSpans): number {
    const record: ResourceRecord = { resource: rs.resource, schemaUrl: rs.schemaUrl, service: serviceNameOf(rs.resource) };
    const body = JSON.stringify(record);
    const cached = this.resourceIds.get(body);
    if (cached !== undefined) return cached;
    const s = this.statements;
    let id = s.findResource.get(body)?.id;
    if (id === undefined) {
      id = Number(s.insertResource.run(body, record.service).lastInsertRowid);
      for (const kv of rs.resource.attributes) {
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

  /** How many spans the store holds. */
  spanCount(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM spans').get() as { n: number }).n;
  }

  /**
   * Deletes at most `chunk` of the spans the policy no longer keeps, oldest
   * first, in one short transaction. Returns how many were deleted; callers
   * repeat (yielding in between) while it returns `chunk`, so a large backlog
   * never holds the write lock for long.
   */
  enforceRetention(policy: RetentionPolicy, nowUs: number, chunk: number): number {
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

  close(): void {
    if (this.db.open) this.db.close();
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
