import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { prepareDecodedSpans, resourceOf } from '../ingest/prepare.js';
import type { PreparedLogRecord, PreparedLogs } from '../ingest/prepared.js';
import type { InstrumentationScope, LogRecord, Resource, ResourceSpans, Span } from '../otlp/model.js';
import { resourceSpansToPb, resourceToPb } from '../otlp/to-protobuf.js';
import { fromJson } from './json.js';
import { lockDatabaseFile } from './owner-lock.js';
import { SCHEMA_VERSION } from './schema.js';
import { upgradeFromV4 } from './upgrade-v4.js';
import { StoreWriter } from './writer.js';

/**
 * `tracelens-collector upgrade-db <file>`: converts a database of an
 * earlier store to the current one. Version 4 (chunks, rollups per 10 s)
 * only gains its minute rollups (upgrade-v4.ts). Versions 1 to 3 (a row and
 * a JSON body per span) are rewritten, keeping every span, log record and
 * the time each was received (so retention carries on as before). The spans go through the
 * same chunking as at ingest, one export per original ingest transaction,
 * keeping each export's resource and scope grouping where the file recorded
 * it (version 3) and grouping consecutive spans of one resource and scope
 * where it did not.
 *
 * Writes `<file>.upgrading`, then renames the original to
 * `<file>.v<version>.bak` and the new file into its place: a failure leaves
 * the original untouched. Holds the file's owner lock throughout, so no
 * collector can use it meanwhile.
 */

export interface ConvertResult {
  fromVersion: number;
  spans: number;
  logs: number;
  /** Where the original file now is. */
  backup: string;
}

/** The layout of versions 1 to 3, as far as the conversion reads it. */
interface LegacySpanRow {
  row: number;
  resource_id: number;
  scope: string;
  body: string;
  resource_chunk: number;
  scope_chunk: number;
}

interface LegacyResource {
  resource: Resource;
  schemaUrl: string;
  service: string;
}

/** Spans converted per transaction at most; a legacy ingest transaction larger than this is split (its spans stay in order). */
const BATCH_SPANS = 20_000;

export function convertDatabase(file: string, progress: (line: string) => void = () => {}): ConvertResult {
  const target = path.resolve(file);
  if (!fs.existsSync(target)) throw new Error(`${target} does not exist`);
  const lock = lockDatabaseFile(target);
  try {
    const old = new Database(target);
    let version: number;
    try {
      version = old.pragma('user_version', { simple: true }) as number;
      if (version === SCHEMA_VERSION) throw new Error(`${target} is already of the current schema (version ${SCHEMA_VERSION}); nothing to do`);
      if (version < 1 || version > 4) throw new Error(`${target} is not a trace store of an earlier version (schema version ${version})`);
      // Everything into the main file, so the backup is one file.
      old.pragma('wal_checkpoint(TRUNCATE)');
    } catch (e) {
      old.close();
      throw e;
    }
    const upgrading = `${target}.upgrading`;
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${upgrading}${suffix}`, { force: true });
    let counts: { spans: number; logs: number };
    try {
      if (version === 4) {
        old.close();
        fs.copyFileSync(target, upgrading);
        const copy = new Database(upgrading);
        try {
          counts = upgradeFromV4(copy);
        } finally {
          copy.close();
        }
      } else {
        const writer = new StoreWriter(upgrading, { temporary: true });
        try {
          counts = { spans: copySpans(old, writer, progress), logs: copyLogs(old, writer, version) };
        } finally {
          writer.close();
        }
        old.pragma('journal_mode = DELETE');
      }
    } catch (e) {
      for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${upgrading}${suffix}`, { force: true });
      throw e;
    } finally {
      old.close();
    }
    // Written without fsync while converting (nothing depended on it yet): on disk now, before it replaces the original.
    const fd = fs.openSync(upgrading, 'r+');
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    const backup = `${target}.v${version}.bak`;
    fs.renameSync(target, backup);
    fs.renameSync(upgrading, target);
    progress(`converted ${counts.spans} spans and ${counts.logs} log records; the original is ${backup}`);
    return { fromVersion: version, ...counts, backup };
  } finally {
    lock.release();
  }
}

function hasColumn(db: Database.Database, table: string, column: string): boolean {
  return (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).some((c) => c.name === column);
}

function copySpans(old: Database.Database, writer: StoreWriter, progress: (line: string) => void): number {
  const chunkColumns = hasColumn(old, 'spans', 'resource_chunk') ? 'resource_chunk, scope_chunk' : '0 AS resource_chunk, 0 AS scope_chunk';
  const resources = new Map<number, LegacyResource>();
  for (const r of old.prepare<[], { id: number; body: string }>('SELECT id, body FROM resources').all()) resources.set(r.id, fromJson<LegacyResource>(r.body));
  const ingests = old.prepare<[], { row_end: number; received_us: number }>('SELECT row_end, received_us FROM ingests ORDER BY row_end').all();
  const rows = old.prepare<[], LegacySpanRow>(`SELECT row, resource_id, scope, body, ${chunkColumns} FROM spans ORDER BY row`).iterate();
  let ingest = 0;
  let written = 0;
  let group: LegacySpanRow[] = [];
  let groupReceivedUs = 0;
  const flush = () => {
    if (group.length === 0) return;
    const prepared = prepareDecodedSpans(resourceSpansToPb(exportOf(group, resources)));
    written += writer.write({ spans: [prepared], logs: [] }, groupReceivedUs).spans;
    group = [];
    if (written % 100_000 < prepared.accepted) progress(`${written} spans converted`);
  };
  for (const row of rows) {
    // The ingest transaction the row was written in: the first whose last row is at or after it.
    while (ingest < ingests.length && (ingests[ingest]?.row_end as number) < row.row) ingest++;
    const receivedUs = ingests[ingest]?.received_us ?? ingests[ingests.length - 1]?.received_us ?? 0;
    if (group.length > 0 && (receivedUs !== groupReceivedUs || group.length >= BATCH_SPANS)) flush();
    groupReceivedUs = receivedUs;
    group.push(row);
  }
  flush();
  return written;
}

/**
 * The spans of one ingest transaction as an export request: a ResourceSpans
 * per export position (version 3) or per run of one resource (earlier), a
 * ScopeSpans per position or run of one scope.
 */
function exportOf(rows: readonly LegacySpanRow[], resources: Map<number, LegacyResource>): ResourceSpans[] {
  const out: ResourceSpans[] = [];
  let resourceKey: string | undefined;
  let scopeKey: string | undefined;
  for (const row of rows) {
    const rKey = row.resource_chunk ? `chunk:${row.resource_chunk}` : `resource:${row.resource_id}`;
    const sKey = row.scope_chunk ? `chunk:${row.scope_chunk}` : `scope:${row.scope}`;
    if (rKey !== resourceKey || out.length === 0) {
      const record = resources.get(row.resource_id);
      out.push({ resource: record?.resource ?? { attributes: [], droppedAttributesCount: 0 }, schemaUrl: record?.schemaUrl ?? '', scopeSpans: [] });
      resourceKey = rKey;
      scopeKey = undefined;
    }
    const rs = out[out.length - 1] as ResourceSpans;
    if (sKey !== scopeKey || rs.scopeSpans.length === 0) {
      const { scope, schemaUrl } = fromJson<{ scope: InstrumentationScope; schemaUrl: string }>(row.scope);
      rs.scopeSpans.push({ scope, schemaUrl, spans: [] });
      scopeKey = sKey;
    }
    rs.scopeSpans[rs.scopeSpans.length - 1]?.spans.push(fromJson<Span>(row.body));
  }
  return out;
}

function copyLogs(old: Database.Database, writer: StoreWriter, version: number): number {
  if (version < 2) return 0;
  const resources = new Map<number, LegacyResource>();
  for (const r of old.prepare<[], { id: number; body: string }>('SELECT id, body FROM resources').all()) resources.set(r.id, fromJson<LegacyResource>(r.body));
  const ingests = old.prepare<[], { row_end: number; received_us: number }>('SELECT row_end, received_us FROM log_ingests ORDER BY row_end').all();
  const rows = old
    .prepare<[], { row: number; resource_id: number; scope: string; body: string }>('SELECT row, resource_id, scope, body FROM logs ORDER BY row')
    .iterate();
  let ingest = 0;
  let written = 0;
  let batch: PreparedLogs | undefined;
  let batchReceivedUs = 0;
  const resourceIndex = new Map<number, number>();
  const flush = () => {
    if (batch) written += writer.write({ spans: [], logs: [batch] }, batchReceivedUs).logs;
    batch = undefined;
    resourceIndex.clear();
  };
  for (const row of rows) {
    while (ingest < ingests.length && (ingests[ingest]?.row_end as number) < row.row) ingest++;
    const receivedUs = ingests[ingest]?.received_us ?? 0;
    if (batch && (receivedUs !== batchReceivedUs || batch.records.length >= BATCH_SPANS)) flush();
    batchReceivedUs = receivedUs;
    batch ??= { signal: 'logs', accepted: 0, rejected: 0, reasons: [], resources: [], records: [] };
    let index = resourceIndex.get(row.resource_id);
    if (index === undefined) {
      const r = resources.get(row.resource_id);
      const resource = r?.resource ?? { attributes: [], droppedAttributesCount: 0 };
      index = batch.resources.push(resourceOf(resourceToPb(resource), r?.schemaUrl ?? '', r?.service ?? '')) - 1;
      resourceIndex.set(row.resource_id, index);
    }
    const record = fromJson<LogRecord>(row.body);
    const prepared: PreparedLogRecord = {
      resource: index,
      traceId: record.traceId,
      spanId: record.spanId,
      timeUnixNano: record.timeUnixNano,
      observedTimeUnixNano: record.observedTimeUnixNano,
      severityNumber: record.severityNumber,
      severityText: record.severityText,
      scope: row.scope,
      body: row.body,
    };
    batch.records.push(prepared);
    batch.accepted++;
  }
  flush();
  return written;
}
