import fs from 'node:fs';
import Database from 'better-sqlite3';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startCollector } from '../src/index.js';
import { decodeJsonTraces } from '../src/otlp/decode-json.js';
import { TraceStore } from '../src/store/store.js';
import { getJson, otlpLogRecord, otlpLogsRequest, otlpRequest, otlpSpan, postJson, postLogsJson, searchPath } from './helpers.js';

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

  it('upgrades a version 1 file (spans only) in place, keeping its spans', async () => {
    const file = path.join(dir, 'v1.db');
    const current = new TraceStore(file);
    current.insert([decodeJsonTraces(JSON.stringify(otlpRequest('shop', [otlpSpan()])))], 0);
    current.close();
    // What a version 1 file looks like: no logs tables, no export positions.
    const raw = new Database(file);
    raw.exec('DROP TABLE logs; DROP TABLE log_ingests; ALTER TABLE spans DROP COLUMN resource_chunk; ALTER TABLE spans DROP COLUMN scope_chunk;');
    raw.pragma('user_version = 1');
    raw.close();

    const upgraded = new TraceStore(file);
    try {
      expect(upgraded.spanCount()).toBe(1);
      expect(upgraded.logCount()).toBe(0);
    } finally {
      upgraded.close();
    }
    const later = new Database(file);
    later.pragma('user_version = 99');
    later.close();
    expect(() => new TraceStore(file)).toThrow('the database has schema version 99 but this collector uses version 3; point --db at a new file');
  });

  it('upgrades a version 2 file (no export positions) in place; its old spans read as position 0', async () => {
    const file = path.join(dir, 'v2.db');
    const current = new TraceStore(file);
    current.insert([decodeJsonTraces(JSON.stringify(otlpRequest('shop', [otlpSpan()])))], 0);
    current.close();
    const raw = new Database(file);
    raw.exec('ALTER TABLE spans DROP COLUMN resource_chunk; ALTER TABLE spans DROP COLUMN scope_chunk;');
    raw.pragma('user_version = 2');
    raw.close();

    const upgraded = new TraceStore(file);
    try {
      const traceId = otlpSpan().traceId;
      expect(upgraded.getTrace(traceId)?.spans.map((s) => [s.resourceChunk, s.scopeChunk])).toEqual([[0, 0]]);
      upgraded.insert([decodeJsonTraces(JSON.stringify(otlpRequest('shop', [otlpSpan({ spanId: '2222222222222222' })])))], 0);
      expect(upgraded.getTrace(traceId)?.spans.map((s) => s.resourceChunk > 0)).toEqual([false, true]);
    } finally {
      upgraded.close();
    }
  });

  it('refuses a file that is not a trace store with a clear error', async () => {
    const file = path.join(dir, 'notes.txt');
    fs.writeFileSync(file, 'these are my notes, not a database'.repeat(200));
    expect(() => new TraceStore(file)).toThrow(/not a database/);
    expect(fs.readFileSync(file, 'utf8')).toMatch(/^these are my notes/);
  });
});

