import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { expect } from 'vitest';

// The built CLI (turbo runs `build` before `test`).
const CLI = path.resolve(import.meta.dirname, '../dist/cli.js');

export interface CliProcess {
  child: ChildProcess;
  output: () => { stdout: string; stderr: string };
}

/** Runs `tracelens-collector` with `args`, the environment plus `env`, collecting its output. */
export function runCli(args: string[], env: Record<string, string> = {}): CliProcess {
  // eslint-disable-next-line tracelens/no-process-env -- the child gets this test run's environment as it is
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d));
  child.stderr?.on('data', (d: Buffer) => (stderr += d));
  return { child, output: () => ({ stdout, stderr }) };
}

/** The URLs a CLI collector printed once it was up. */
export async function urlsOf(cli: CliProcess): Promise<{ otlpUrl: string; queryUrl: string }> {
  await expect.poll(() => cli.output().stdout, { timeout: 10_000 }).toContain('Jaeger query API');
  const { stdout } = cli.output();
  const otlpUrl = /OTLP\/HTTP receiver: +(\S+)\/v1\/traces/.exec(stdout)?.[1] ?? '';
  const queryUrl = /Jaeger query API: +(\S+)\/api\/services/.exec(stdout)?.[1] ?? '';
  return { otlpUrl, queryUrl };
}

/** Exports one span of `traceId` for service `shop` as OTLP/JSON; the HTTP status. */
export async function postSpan(otlpUrl: string, traceId: string): Promise<number> {
  const span = { traceId, spanId: 'eee19b7ec3c1b174', name: 'GET /users', kind: 2, startTimeUnixNano: '1700000000000000000', endTimeUnixNano: '1700000000250000000' };
  const res = await fetch(`${otlpUrl}/v1/traces`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'shop' } }] }, scopeSpans: [{ spans: [span] }] }],
    }),
  });
  await res.arrayBuffer();
  return res.status;
}

/** How many spans `/api/traces/{id}` answers for the trace; 0 for a 404. */
export async function spanCount(queryUrl: string, traceId: string): Promise<number> {
  const res = await fetch(`${queryUrl}/api/traces/${traceId}`);
  if (res.status === 404) return 0;
  return ((await res.json()) as { data: { spans: unknown[] }[] }).data[0]?.spans.length ?? 0;
}
