import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { JaegerUnavailableError, ensureJaegerBinary, pinnedModuleVersion } from './binary.js';
import { CONFIG_FILE, jaegerCommand } from './process.js';

const temps: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracelens-jaeger-'));
  temps.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of temps.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A stand-in `go` that only answers `go env GOVERSION`, to test the version gate without a toolchain. */
function fakeGo(version: string): string {
  const file = path.join(tempDir(), 'go');
  fs.writeFileSync(file, `#!/bin/sh\necho ${version}\n`, { mode: 0o755 });
  return file;
}

describe('the pinned Jaeger', () => {
  it('is v1.75.0 of the Go module, whose cmd/jaeger is Jaeger 2.12.0', () => {
    expect(pinnedModuleVersion()).toBe('v1.75.0');
  });

  it('without Go, says what it needs and the way around it', async () => {
    const error = await ensureJaegerBinary({ cacheDir: tempDir(), goCommand: path.join(tempDir(), 'no-go-here') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JaegerUnavailableError);
    expect((error as Error).message).toMatch(/Go is not installed: needs Go >= 1\.24; or use docker compose/);
  });

  it('refuses a Go older than the module needs, naming it', async () => {
    const error = await ensureJaegerBinary({ cacheDir: tempDir(), goCommand: fakeGo('go1.22.5') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JaegerUnavailableError);
    expect((error as Error).message).toMatch(/this Go is go1\.22\.5: needs Go >= 1\.24/);
  });
});

describe('the Jaeger configuration', () => {
  const config = fs.readFileSync(CONFIG_FILE, 'utf8');

  it('takes every listener address from the environment, and jaegerCommand sets each', () => {
    const ports = [...config.matchAll(/endpoint: "\$\{env:JAEGER_LISTEN_HOST:-127\.0\.0\.1\}:\$\{env:(JAEGER_\w+_PORT):-\d+\}"/g)].map((m) => m[1]);
    expect(ports).toHaveLength((config.match(/endpoint:/g) ?? []).length);
    const { env } = jaegerCommand('jaeger', { otlpHttp: 1, otlpGrpc: 2, queryHttp: 3, queryGrpc: 4, health: 5 });
    expect(Object.keys(env).filter((k) => k.endsWith('_PORT')).sort()).toEqual([...ports].sort());
  });
});
