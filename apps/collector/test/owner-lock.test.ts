import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startCollector } from '../src/index.js';
import { DatabaseInUseError } from '../src/store/owner-lock.js';
import { getJson, otlpRequest, otlpSpan, postJson } from './helpers.js';

// The built CLI (turbo runs `build` before `test`).
const CLI = path.resolve(import.meta.dirname, '../dist/cli.js');

interface CliCollector {
  child: ChildProcess;
  output: () => { stdout: string; stderr: string };
}

function runCli(db: string): CliCollector {
  const child = spawn(process.execPath, [CLI, '--db', db, '--otlp-port', '0', '--query-port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d));
  child.stderr?.on('data', (d: Buffer) => (stderr += d));
  return { child, output: () => ({ stdout, stderr }) };
}

/** The URLs a CLI collector printed once it was up. */
async function urlsOf(cli: CliCollector) {
  await expect.poll(() => cli.output().stdout, { timeout: 10_000 }).toContain('Jaeger query API');
  const { stdout } = cli.output();
  const otlpUrl = /OTLP\/HTTP receiver: +(\S+)\/v1\/traces/.exec(stdout)?.[1] ?? '';
  const queryUrl = /Jaeger query API: +(\S+)\/api\/services/.exec(stdout)?.[1] ?? '';
  return { otlpUrl, queryUrl };
}

async function post(otlpUrl: string, traceId: string): Promise<number> {
  const res = await fetch(`${otlpUrl}/v1/traces`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(otlpRequest('shop', [otlpSpan({ traceId })])),
  });
  return res.status;
}

async function spanCount(queryUrl: string, traceId: string): Promise<number> {
  const res = await fetch(`${queryUrl}/api/traces/${traceId}`);
  if (res.status === 404) return 0;
  return ((await res.json()) as { data: { spans: unknown[] }[] }).data[0]?.spans.length ?? 0;
}

describe('one collector per database file', () => {
  let dir: string;
  const children: ChildProcess[] = [];
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracelens-lock-'));
  });
  afterEach(() => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a second collector on the same file at once, naming the owner, and the first never notices', async () => {
    const db = path.join(dir, 'traces.db');
    const first = runCli(db);
    children.push(first.child);
    const { otlpUrl, queryUrl } = await urlsOf(first);
    expect(await post(otlpUrl, 'a'.repeat(32))).toBe(200);

    const second = runCli(db);
    children.push(second.child);
    const [code] = await once(second.child, 'exit');
    expect(code).toBe(1);
    expect(second.output().stderr).toContain(`${db} is in use by another collector (pid ${first.child.pid})`);

    // The first one still takes spans and answers for them, the old and the new.
    expect(await post(otlpUrl, 'b'.repeat(32))).toBe(200);
    expect(await spanCount(queryUrl, 'a'.repeat(32))).toBe(1);
    expect(await spanCount(queryUrl, 'b'.repeat(32))).toBe(1);
    expect(first.child.exitCode).toBeNull();
  });

  it('is free again the moment its owner is killed, with every acknowledged span kept', async () => {
    const db = path.join(dir, 'traces.db');
    const first = runCli(db);
    children.push(first.child);
    const before = await urlsOf(first);
    expect(await post(before.otlpUrl, 'c'.repeat(32))).toBe(200);
    first.child.kill('SIGKILL');
    await once(first.child, 'exit');

    const next = runCli(db);
    children.push(next.child);
    const after = await urlsOf(next);
    expect(await spanCount(after.queryUrl, 'c'.repeat(32))).toBe(1);
  });

  it('refuses a second store in the same process too, and takes the file once the first closes', async () => {
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
