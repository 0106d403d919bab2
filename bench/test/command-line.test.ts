import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseCommandLine, REGISTRY } from '../src/command-line.js';

// The built runner (turbo runs `build` before `test`).
const RUN = path.resolve(import.meta.dirname, '../dist/run.js');

function run(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [RUN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d));
  child.stderr.on('data', (d: Buffer) => (stderr += d));
  return { child, output: () => ({ stdout, stderr }) };
}

/** Pids of the processes that hold a file under `dir` open: the servers a run started write their logs there. */
function processesWithFilesIn(dir: string): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const fds = fs.readdirSync(`/proc/${entry}/fd`);
      if (fds.some((fd) => fs.readlinkSync(`/proc/${entry}/fd/${fd}`).startsWith(dir))) pids.push(Number(entry));
    } catch {
      // Gone, or not ours to read.
    }
  }
  return pids;
}

describe('the bench command line', () => {
  it('names every benchmark, and runs the named ones or all', () => {
    expect(parseCommandLine(['--smoke', 'ingest', 'query'])).toEqual({ help: false, smoke: true, names: ['ingest', 'query'], options: {} });
    expect(parseCommandLine([])).toEqual({ help: false, smoke: false, names: Object.keys(REGISTRY), options: {} });
    expect(parseCommandLine(['query', '--help'])).toEqual({ help: true });
  });

  it('reads the stores to compare and the size to fill them to', () => {
    expect(parseCommandLine(['query', '--spans', '10_000_000', '--backends', 'store,jaeger-badger'])).toEqual({
      help: false,
      smoke: false,
      names: ['query'],
      options: { spans: 10_000_000, backends: ['store', 'jaeger-badger'] },
    });
    expect(() => parseCommandLine(['--spans', '1e6'])).toThrow('--spans must be a whole number of thousands (1000 or more), got "1e6"');
    expect(() => parseCommandLine(['--backends', 'store,tempo'])).toThrow('unknown backend "tempo"; choose from store, jaeger-memory, jaeger-badger');
  });

  it('refuses an unknown benchmark or flag, naming it', () => {
    expect(() => parseCommandLine(['ingest', 'ingset'])).toThrow('unknown benchmark "ingset"; choose from overhead, browser, ingest');
    expect(() => parseCommandLine(['--fast'])).toThrow("Unknown option '--fast'");
  });

  it('--help prints the usage and the benchmarks, and runs none', async () => {
    const { child, output } = run(['--help']);
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    for (const name of Object.keys(REGISTRY)) expect(output().stdout).toContain(`\n  ${name} `);
    expect(output().stdout).not.toContain('==');
  });

  it('exits 2 with the usage for a wrong command line', async () => {
    const { child, output } = run(['--smok']);
    const [code] = await once(child, 'exit');
    expect(code).toBe(2);
    expect(output().stderr).toContain("Unknown option '--smok'");
    expect(output().stderr).toContain('Usage: npm run bench');
  });
});

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
