import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';

// The built CLI (turbo runs `build` before `test`).
const CLI = path.resolve(import.meta.dirname, '../dist/cli.js');

function run(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d));
  child.stderr.on('data', (d: Buffer) => (stderr += d));
  return { child, output: () => ({ stdout, stderr }) };
}

describe('tracelens-collector CLI', () => {
  it('documents every flag and its environment variable in --help', async () => {
    const { child, output } = run(['--help']);
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    for (const flag of ['--host', '--otlp-port', '--query-port', '--db', '--retention', '--max-spans', '--max-body', '--cors-origins']) {
      expect(output().stdout).toContain(flag);
    }
    expect(output().stdout).toContain('COLLECTOR_OTLP_PORT');
  });

  it('rejects a bad flag value with a message and exit code 2', async () => {
    const { child, output } = run(['--otlp-port', 'abc']);
    const [code] = await once(child, 'exit');
    expect(code).toBe(2);
    expect(output().stderr).toContain('--otlp-port must be a port number from 0 to 65535, got "abc"');
  });

  it('prints both URLs, serves, and closes cleanly on SIGTERM', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracelens-cli-'));
    const { child, output } = run([], { COLLECTOR_OTLP_PORT: '0', COLLECTOR_QUERY_PORT: '0', COLLECTOR_DB: path.join(dir, 't.db') });
    try {
      await expect.poll(() => output().stdout, { timeout: 10_000 }).toContain('Jaeger query API');
      const queryUrl = /Jaeger query API: +(\S+)\/api\/services/.exec(output().stdout)?.[1];
      const otlpUrl = /OTLP\/HTTP receiver: +(\S+)\/v1\/traces/.exec(output().stdout)?.[1];
      expect((await fetch(`${otlpUrl}/health`)).status).toBe(200);
      expect((await fetch(`${queryUrl}/api/services`)).status).toBe(200);
      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
      expect(code).toBe(0);
    } finally {
      child.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
