import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { runCli as run } from './cli-process.js';

/**
 * Exit code 2 with `message` on stderr. Both are compared at once so that a
 * wrong exit code shows what the CLI printed (once on the Node 24 CI pass it
 * exited 1, and the bare code said nothing about why).
 */
function expectRejected(code: unknown, stderr: string, message: string): void {
  expect({ code, stderr }).toEqual({ code: 2, stderr: expect.stringContaining(message) as unknown });
}

describe('tracelens-collector CLI', () => {
  it('documents every flag and its environment variable in --help', async () => {
    const { child, output } = run(['--help']);
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    const flags = ['--host', '--otlp-port', '--query-port', '--db', '--retention', '--max-spans', '--max-body', '--cors-origins'];
    for (const flag of [...flags, '--tail-sampling', '--tail-wait', '--tail-latency', '--tail-ratio']) {
      expect(output().stdout).toContain(flag);
    }
    for (const name of ['COLLECTOR_OTLP_PORT', 'COLLECTOR_TAIL_SAMPLING=on|off', 'COLLECTOR_TAIL_WAIT', 'COLLECTOR_TAIL_LATENCY', 'COLLECTOR_TAIL_RATIO']) {
      expect(output().stdout).toContain(name);
    }
  });

  it('rejects a bad flag value with a message and exit code 2', async () => {
    const { child, output } = run(['--otlp-port', 'abc']);
    const [code] = await once(child, 'exit');
    expectRejected(code, output().stderr, '--otlp-port must be a port number from 0 to 65535, got "abc"');
  });

  it.each([
    [['--tail-ratio', '1.5'], {}, '--tail-ratio must be a number from 0 to 1, got "1.5"'],
    [[], { COLLECTOR_TAIL_SAMPLING: 'maybe' }, 'COLLECTOR_TAIL_SAMPLING must be on or off, got "maybe"'],
    [['--tail-wait', 'soon'], {}, '--tail-wait must be a duration such as 24h, 7d, 90m or 0, got "soon"'],
    [[], { COLLECTOR_QUERY_PORT: '70000' }, 'COLLECTOR_QUERY_PORT must be a port number from 0 to 65535, got "70000"'],
  ])('rejects tail sampling settings %j %j', async (args, env, message) => {
    const { child, output } = run(args, env);
    const [code] = await once(child, 'exit');
    expectRejected(code, output().stderr, message);
  });

  it('prints both URLs, serves, and closes cleanly on SIGTERM', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracelens-cli-'));
    const { child, output } = run([], {
      COLLECTOR_OTLP_PORT: '0',
      COLLECTOR_QUERY_PORT: '0',
      COLLECTOR_DB: path.join(dir, 't.db'),
      COLLECTOR_TAIL_SAMPLING: 'on',
      COLLECTOR_TAIL_RATIO: '0.5',
    });
    try {
      await expect.poll(() => output().stdout, { timeout: 10_000 }).toContain('Jaeger query API');
      const queryUrl = /Jaeger query API: +(\S+)\/api\/services/.exec(output().stdout)?.[1];
      const otlpUrl = /OTLP\/HTTP receiver: +(\S+)\/v1\/traces/.exec(output().stdout)?.[1];
      expect((await fetch(`${otlpUrl}/health`)).status).toBe(200);
      expect((await fetch(`${queryUrl}/api/services`)).status).toBe(200);
      expect(await (await fetch(`${queryUrl}/api/tail-sampling`)).json()).toMatchObject({ enabled: true, pending: 0 });
      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
      expect(code).toBe(0);
      // The counters are logged at close, as one JSON line.
      const closing = output().stderr.split('\n').find((line) => line.includes('"msg":"tail sampling"'));
      expect(JSON.parse(closing ?? '{}')).toMatchObject({ level: 'info', kept: { error: 0, latency: 0, ratio: 0 }, dropped: 0 });
    } finally {
      child.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
