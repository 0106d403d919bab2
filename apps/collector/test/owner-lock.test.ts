import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { postSpan, runCli, spanCount, urlsOf } from './cli-process.js';

/** Two collector processes on one database file: the lock is @tracelens/trace-store's (store/owner-lock.ts), the exit code and message the CLI's. */
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
    const first = runCli(['--db', db, '--otlp-port', '0', '--query-port', '0']);
    children.push(first.child);
    const { otlpUrl, queryUrl } = await urlsOf(first);
    expect(await postSpan(otlpUrl, 'a'.repeat(32))).toBe(200);

    const second = runCli(['--db', db, '--otlp-port', '0', '--query-port', '0']);
    children.push(second.child);
    const [code] = await once(second.child, 'exit');
    expect(code).toBe(1);
    expect(second.output().stderr).toContain(`${db} is in use by another collector (pid ${first.child.pid})`);

    // The first one still takes spans and answers for them, the old and the new.
    expect(await postSpan(otlpUrl, 'b'.repeat(32))).toBe(200);
    expect(await spanCount(queryUrl, 'a'.repeat(32))).toBe(1);
    expect(await spanCount(queryUrl, 'b'.repeat(32))).toBe(1);
    expect(first.child.exitCode).toBeNull();
  });

  it('is free again the moment its owner is killed, with every acknowledged span kept', async () => {
    const db = path.join(dir, 'traces.db');
    const first = runCli(['--db', db, '--otlp-port', '0', '--query-port', '0']);
    children.push(first.child);
    const before = await urlsOf(first);
    expect(await postSpan(before.otlpUrl, 'c'.repeat(32))).toBe(200);
    first.child.kill('SIGKILL');
    await once(first.child, 'exit');

    const next = runCli(['--db', db, '--otlp-port', '0', '--query-port', '0']);
    children.push(next.child);
    const after = await urlsOf(next);
    expect(await spanCount(after.queryUrl, 'c'.repeat(32))).toBe(1);
  });
});
