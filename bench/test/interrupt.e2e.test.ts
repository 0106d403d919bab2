import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { processesWithFilesIn, run } from './run-bench.js';

// Starts real servers (the web app's production build among them), so it
// runs with the smoke runs in `test:e2e`, after every build, not with the unit tests.
describe('an interrupted run', () => {
  let tmp: string | undefined;
  afterEach(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('stops the servers it started on SIGTERM', { timeout: 120_000 }, async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tracelens-bench-interrupt-'));
    const { child, output } = run(['overhead', '--smoke'], { TMPDIR: tmp });
    // The traced and untraced pairs are up once the warm-up reports.
    await expect.poll(() => output().stdout, { timeout: 90_000, interval: 200 }).toContain('warm-up');
    expect(processesWithFilesIn(tmp).length).toBeGreaterThanOrEqual(4);
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(output().stderr).toMatch(/bench: SIGTERM, stopping \d+ servers?/);
    expect(code).toBe(143);
    expect(processesWithFilesIn(tmp)).toEqual([]);
  });
});
