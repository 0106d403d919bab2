import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, spanCount, urlsOf } from './cli-process.js';

const TRACE_ID = '5b8efff798038103d269b633813fc60c';

/**
 * A database as the store before v2 (schema version 3) wrote one: a row and
 * a JSON body per span. Only what the conversion reads, with one span of
 * `shop` received in one ingest transaction. (@tracelens/trace-store tests
 * the conversion itself on a file the old store wrote.)
 */
function writeVersion3(file: string): void {
  const db = new Database(file);
  db.exec(`
    CREATE TABLE resources (id INTEGER PRIMARY KEY, body TEXT NOT NULL UNIQUE, service TEXT NOT NULL);
    CREATE TABLE spans (row INTEGER PRIMARY KEY, trace_id TEXT, span_id TEXT, parent_span_id TEXT, resource_id INTEGER, service TEXT,
      name TEXT, kind INTEGER, start_us INTEGER, duration_us INTEGER, error INTEGER, scope TEXT, body TEXT,
      resource_chunk INTEGER NOT NULL DEFAULT 0, scope_chunk INTEGER NOT NULL DEFAULT 0);
    CREATE TABLE ingests (row_end INTEGER PRIMARY KEY, received_us INTEGER NOT NULL);
    CREATE TABLE logs (row INTEGER PRIMARY KEY, trace_id TEXT, span_id TEXT, time_us INTEGER, severity_number INTEGER,
      severity_text TEXT, resource_id INTEGER, service TEXT, scope TEXT, body TEXT);
    CREATE TABLE log_ingests (row_end INTEGER PRIMARY KEY, received_us INTEGER NOT NULL);
  `);
  const resource = { resource: { attributes: [{ key: 'service.name', value: { stringValue: 'shop' } }], droppedAttributesCount: 0 }, schemaUrl: '', service: 'shop' };
  db.prepare('INSERT INTO resources (id, body, service) VALUES (1, ?, ?)').run(JSON.stringify(resource), 'shop');
  const span = {
    traceId: TRACE_ID,
    spanId: 'eee19b7ec3c1b174',
    parentSpanId: '',
    traceState: '',
    flags: 0,
    name: 'GET /users',
    kind: 2,
    startTimeUnixNano: '1700000000000000000',
    endTimeUnixNano: '1700000000250000000',
    attributes: [],
    droppedAttributesCount: 0,
    events: [],
    droppedEventsCount: 0,
    links: [],
    droppedLinksCount: 0,
    status: { code: 0, message: '' },
  };
  const scope = { scope: { name: 'test-scope', version: '1.0.0', attributes: [], droppedAttributesCount: 0 }, schemaUrl: '' };
  db.prepare('INSERT INTO spans (row, resource_id, scope, body, resource_chunk, scope_chunk) VALUES (1, 1, ?, ?, 1, 1)').run(JSON.stringify(scope), JSON.stringify(span));
  db.prepare('INSERT INTO ingests (row_end, received_us) VALUES (1, ?)').run(Date.now() * 1000);
  db.pragma('user_version = 3');
  db.close();
}

describe('tracelens-collector upgrade-db', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracelens-upgrade-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('is named when the collector refuses an older database, converts it, and the collector then serves its spans', async () => {
    const db = path.join(dir, 'traces.db');
    writeVersion3(db);

    const refused = runCli(['--db', db, '--otlp-port', '0', '--query-port', '0']);
    const [refusedCode] = await once(refused.child, 'exit');
    expect(refusedCode).toBe(1);
    expect(refused.output().stderr).toContain(`convert it with: npx tracelens-collector upgrade-db ${db}`);

    const upgrade = runCli(['upgrade-db', db]);
    const [code] = await once(upgrade.child, 'exit');
    expect(code).toBe(0);
    expect(upgrade.output().stdout).toContain(`converted 1 spans and 0 log records; the original is ${db}.v3.bak`);

    const collector = runCli(['--db', db, '--otlp-port', '0', '--query-port', '0']);
    try {
      const { queryUrl } = await urlsOf(collector);
      expect(await spanCount(queryUrl, TRACE_ID)).toBe(1);
    } finally {
      collector.child.kill('SIGTERM');
      await once(collector.child, 'exit');
    }
  });

  it('says what is wrong with a file it cannot convert, and with its arguments', async () => {
    const missing = runCli(['upgrade-db', path.join(dir, 'nope.db')]);
    expect((await once(missing.child, 'exit'))[0]).toBe(1);
    expect(missing.output().stderr).toContain(`${path.join(dir, 'nope.db')} does not exist`);

    const noFile = runCli(['upgrade-db']);
    expect((await once(noFile.child, 'exit'))[0]).toBe(2);
    expect(noFile.output().stderr).toContain('upgrade-db takes one argument, the database file');
  });
});
