import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { inheritedEnv } from './env.js';

// The launcher's CLI on settings it must refuse before building or starting
// anything. It runs from dist/ (built before the tests).
const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../bin/tracelens-stack.js');

const temps: string[] = [];
const servers: net.Server[] = [];
afterEach(async () => {
  for (const dir of temps.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

async function cli(args: string[], env: Record<string, string>) {
  return promisify(execFile)(process.execPath, [BIN, ...args], { env: { PATH: inheritedEnv().PATH ?? '', HOME: os.homedir(), ...env }, timeout: 20_000 }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
}

describe('tracelens-stack', () => {
  it('refuses one port for two services up front, naming both variables, before any build', async () => {
    const { code, stdout, stderr } = await cli(['start'], { WEB_PORT: '45123', DATA_PROCESSOR_PORT: '45123' });
    expect(code).toBe(2);
    expect(stderr).toBe('tracelens: WEB_PORT and DATA_PROCESSOR_PORT are both 45123: each service needs a port of its own\n');
    expect(stdout).not.toContain('building');
  });

  it('refuses a taken port, naming the variable and how to change it', async () => {
    const server = net.createServer();
    servers.push(server);
    const port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)));
    const { code, stderr } = await cli(['dev'], { COLLECTOR_QUERY_PORT: String(port), WEB_PORT: '45124' });
    expect(code).toBe(2);
    expect(stderr).toContain(`port ${port} on 127.0.0.1 (COLLECTOR_QUERY_PORT) is already in use; choose another with COLLECTOR_QUERY_PORT=<port> npm run dev`);
  });

  it('says plainly why TRACELENS_BACKEND=jaeger cannot run on a machine without Go and without a build', async () => {
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracelens-no-jaeger-'));
    const noGo = fs.mkdtempSync(path.join(os.tmpdir(), 'tracelens-no-go-'));
    temps.push(cacheDir, noGo);
    const { code, stderr } = await cli(['start', '--no-build'], {
      TRACELENS_BACKEND: 'jaeger',
      TRACELENS_JAEGER_CACHE_DIR: cacheDir,
      PATH: noGo,
      WEB_PORT: '45125',
      DATA_PROCESSOR_PORT: '45126',
      COLLECTOR_OTLP_PORT: '45127',
      COLLECTOR_QUERY_PORT: '45128',
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^tracelens: TRACELENS_BACKEND=jaeger: the real Jaeger is built from source, and Go is not installed: needs Go >= 1\.24; or use docker compose/);
  });

  it('explains a wrong command and a bad backend', async () => {
    expect(await cli(['begin'], {})).toMatchObject({ code: 2, stderr: expect.stringMatching(/expected start or dev, got "begin"[\s\S]*Usage: tracelens-stack <start\|dev>/) });
    expect(await cli(['start'], { TRACELENS_BACKEND: 'zipkin' })).toMatchObject({
      code: 2,
      stderr: 'tracelens: TRACELENS_BACKEND must be embedded, jaeger or external\n',
    });
  });
});
