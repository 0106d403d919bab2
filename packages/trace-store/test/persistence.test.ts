import fs from 'node:fs';
import Database from 'better-sqlite3';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import zlib from 'node:zlib';
import { OldSchemaError, startCollector } from '../src/index.js';
import { convertDatabase } from '../src/store/convert.js';
import { getJson, otlpLogRecord, otlpLogsRequest, otlpRequest, otlpSpan, postJson, postLogsJson, searchPath } from './helpers.js';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');

/**
 * An answer with its metric values to 12 significant digits: a latency
 * quantile interpolates inside a bucket bounded by powers of 2^(1/16), and
 * Node 24's Math.pow differs from Node 20's (which recorded the fixtures) in
 * the last bit for some of them.
 */
function engineIndependent(answer: unknown): unknown {
  return JSON.parse(JSON.stringify(answer), (key, value: unknown) => (key === 'doubleValue' && typeof value === 'number' ? Number(value.toPrecision(12)) : value));
}

describe('a file-backed store', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracelens-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps every acknowledged span across a restart', async () => {
    const db = path.join(dir, 'nested', 'traces.db');
    const first = await startCollector({ otlpPort: 0, queryPort: 0, db });
    const traceIds: string[] = [];
    for (let i = 0; i < 20; i++) {
      const traceId = (i + 1).toString(16).padStart(32, 'a');
      traceIds.push(traceId);
      const res = await postJson(first, otlpRequest('shop', [otlpSpan({ traceId }), otlpSpan({ traceId, spanId: '1111111111111111', parentSpanId: 'eee19b7ec3c1b174' })]));
      expect(res.status).toBe(200);
    }
    const before = await getJson(first, `/api/traces/${traceIds[7]}`);
    await first.close();
    // Closed, the store is one file: the WAL is folded in and gone.
    expect(fs.readdirSync(path.dirname(db)).sort()).toEqual(['traces.db', 'traces.db.lock']);

    const second = await startCollector({ otlpPort: 0, queryPort: 0, db });
    try {
      expect(second.store.spanCount()).toBe(40);
      expect((await getJson(second, `/api/traces/${traceIds[7]}`)).body).toEqual(before.body);
      expect((await getJson(second, '/api/services')).body.data).toEqual(['shop']);
      const all = await getJson(second, searchPath({ service: 'shop', limit: '100' }));
      expect(all.body.data).toHaveLength(20);
    } finally {
      await second.close();
    }
    expect(fs.readFileSync(path.join(dir, 'nested', 'traces.db')).subarray(0, 15).toString()).toBe('SQLite format 3');
  });

  it('keeps every acknowledged log record across a restart', async () => {
    const db = path.join(dir, 'traces.db');
    const traceId = 'abcabcabcabcabcabcabcabcabcabcab';
    const first = await startCollector({ otlpPort: 0, queryPort: 0, db });
    for (let i = 0; i < 10; i++) {
      const res = await postLogsJson(
        first,
        otlpLogsRequest('shop', [
          otlpLogRecord({ traceId, timeUnixNano: String(1_700_000_000_000_000_000n + BigInt(i) * 1_000_000n), body: { stringValue: `step ${i}` } }),
          otlpLogRecord({ traceId: '', spanId: '', body: { stringValue: 'outside any trace' } }),
        ]),
      );
      expect(res.status).toBe(200);
    }
    const before = await getJson(first, `/api/traces/${traceId}/logs`);
    expect(before.body.data).toHaveLength(10);
    await first.close();

    const second = await startCollector({ otlpPort: 0, queryPort: 0, db });
    try {
      expect(second.store.logCount()).toBe(20);
      expect((await getJson(second, `/api/traces/${traceId}/logs`)).body).toEqual(before.body);
    } finally {
      await second.close();
    }
  });

  // Written by the store of each earlier schema version with most of the conformance corpus and three log records, with
  // what that store answered for it (test/fixtures/README.md): version 3 (before store v2), version 4 (rollups per 10 s only).
  it.each([3, 4])('refuses a file of schema version %i, naming the command that converts it, which keeps every span, log record and answer', async (version) => {
    const file = path.join(dir, 'traces.db');
    fs.writeFileSync(file, zlib.gunzipSync(fs.readFileSync(path.join(FIXTURES, `store-v${version}.db.gz`))));
    const recorded = JSON.parse(zlib.gunzipSync(fs.readFileSync(path.join(FIXTURES, `store-v${version}.answers.json.gz`))).toString('utf8')) as {
      spans: number;
      logs: number;
      answers: Record<string, { status: number; body: unknown }>;
    };
    const refused = await startCollector({ otlpPort: 0, queryPort: 0, db: file }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(OldSchemaError);
    expect((refused as Error).message).toBe(
      `${file} was written by an earlier Tracelens store (schema version ${version}, this one uses 5); convert it with: npx tracelens-collector upgrade-db ${file}`,
    );

    const result = convertDatabase(file);
    expect(result).toEqual({ fromVersion: version, spans: recorded.spans, logs: recorded.logs, backup: `${file}.v${version}.bak` });
    expect(fs.existsSync(`${file}.v${version}.bak`)).toBe(true);
    const converted = await startCollector({ otlpPort: 0, queryPort: 0, db: file, retentionMs: 0, maxSpans: 0 });
    try {
      expect(converted.store.spanCount()).toBe(recorded.spans);
      expect(converted.store.logCount()).toBe(recorded.logs);
      for (const [request, answer] of Object.entries(recorded.answers)) {
        expect(engineIndependent(await getJson(converted, request)), request).toEqual(engineIndependent(answer));
      }
    } finally {
      await converted.close();
    }
    expect(() => convertDatabase(file)).toThrow(`${file} is already of the current schema (version 5); nothing to do`);
  });

  it('refuses a file of a newer schema', async () => {
    const file = path.join(dir, 'new.db');
    const raw = new Database(file);
    raw.pragma('user_version = 99');
    raw.exec('CREATE TABLE future (x)');
    raw.close();
    await expect(startCollector({ otlpPort: 0, queryPort: 0, db: file })).rejects.toThrow(
      'the database has schema version 99 but this collector uses version 5; point --db at a new file',
    );
  });

  it('refuses a SQLite file that is not a trace store, leaving it as it was', async () => {
    const file = path.join(dir, 'other.db');
    const raw = new Database(file);
    raw.exec('CREATE TABLE notes (text TEXT)');
    raw.close();
    await expect(startCollector({ otlpPort: 0, queryPort: 0, db: file })).rejects.toThrow(`${file} is a SQLite database, but not a trace store (no schema version); point --db at a new file`);
    const again = new Database(file);
    expect(again.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all()).toEqual([{ name: 'notes' }]);
    again.close();
  });

  it('refuses a file that is not a database with a clear error', async () => {
    const file = path.join(dir, 'notes.txt');
    fs.writeFileSync(file, 'these are my notes, not a database'.repeat(200));
    await expect(startCollector({ otlpPort: 0, queryPort: 0, db: file })).rejects.toThrow(/not a database/);
    expect(fs.readFileSync(file, 'utf8')).toMatch(/^these are my notes/);
  });
});

