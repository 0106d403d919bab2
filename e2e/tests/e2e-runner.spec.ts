import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';

// `npm test`'s e2e half (run.mjs) on a machine where the real Jaeger cannot
// be built: no Go on PATH and no binary built before. Playwright only lists
// the tests (--list), so this runs no stack.
const RUN = path.resolve(import.meta.dirname, '../run.mjs');

async function runWithoutJaeger(extra: Record<string, string>) {
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracelens-no-jaeger-'));
  const noGo = fs.mkdtempSync(path.join(os.tmpdir(), 'tracelens-no-go-'));
  // node itself, and nothing else: `go` is not found.
  fs.symlinkSync(process.execPath, path.join(noGo, 'node'));
  try {
    return await promisify(execFile)(process.execPath, [RUN, '--list'], {
      cwd: path.dirname(RUN),
      env: { HOME: os.homedir(), PATH: noGo, TRACELENS_JAEGER_CACHE_DIR: cacheDir, ...extra },
    }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );
  } finally {
    fs.rmSync(cacheDir, { recursive: true, force: true });
    fs.rmSync(noGo, { recursive: true, force: true });
  }
}

test.describe('the e2e runner without Go', () => {
  test('runs the embedded half and says last that the Jaeger half was skipped, and why', async () => {
    const { code, stdout } = await runWithoutJaeger({});
    expect(code).toBe(0);
    expect(stdout).toMatch(/\[embedded\] › trace-linkage\.spec\.ts/);
    expect(stdout).not.toContain('[jaeger]');
    expect(stdout.trimEnd().split('\n').at(-1)).toMatch(/^Jaeger half skipped: the real Jaeger is built from source, and Go is not installed: needs Go >= 1\.24; or use docker compose/);
  });

  test('fails with the reason when TRACELENS_REQUIRE_JAEGER=1, as CI sets it', async () => {
    const { code, stdout, stderr } = await runWithoutJaeger({ TRACELENS_REQUIRE_JAEGER: '1' });
    expect(code).toBe(1);
    expect(stderr).toMatch(/TRACELENS_REQUIRE_JAEGER=1 and the real Jaeger is unavailable: .*Go is not installed/);
    expect(stdout).not.toContain('[embedded]');
  });
});
