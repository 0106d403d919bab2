import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startCollector } from '../src/index.js';
import { DatabaseInUseError } from '../src/store/owner-lock.js';
import { getJson, otlpRequest, otlpSpan, postJson } from './helpers.js';

describe('one collector per database file', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracelens-lock-'));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a second store in the same process, naming it, and takes the file once the first closes', async () => {
    const db = path.join(dir, 'traces.db');
    const first = await startCollector({ otlpPort: 0, queryPort: 0, db });
    try {
      const refused = await startCollector({ otlpPort: 0, queryPort: 0, db }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(DatabaseInUseError);
      expect((refused as Error).message).toContain(`(pid ${process.pid})`);
      expect((await postJson(first, otlpRequest('shop', [otlpSpan()]))).status).toBe(200);
    } finally {
      await first.close();
    }
    const again = await startCollector({ otlpPort: 0, queryPort: 0, db });
    try {
      expect((await getJson(again, '/api/services')).body.data).toEqual(['shop']);
    } finally {
      await again.close();
    }
  });
});
