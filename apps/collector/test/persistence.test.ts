import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startCollector } from '../src/index.js';
import { TraceStore } from '../src/store/store.js';
import { getJson, otlpRequest, otlpSpan, postJson } from './helpers.js';

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
      const all = await getJson(second, '/api/traces?service=shop&limit=100');
      expect(all.body.data).toHaveLength(20);
    } finally {
      await second.close();
    }
    expect(fs.readFileSync(path.join(dir, 'nested', 'traces.db')).subarray(0, 15).toString()).toBe('SQLite format 3');
  });

  it('refuses a file that is not a trace store with a clear error', async () => {
    const file = path.join(dir, 'notes.txt');
    fs.writeFileSync(file, 'these are my notes, not a database'.repeat(200));
    expect(() => new TraceStore(file)).toThrow(/not a database/);
    expect(fs.readFileSync(file, 'utf8')).toMatch(/^these are my notes/);
  });
});
