import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { inheritedEnv } from '../src/env.js';

// The built runner (turbo runs `build` before `test`).
const RUN = path.resolve(import.meta.dirname, '../dist/run.js');

export function run(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [RUN, ...args], { env: { ...inheritedEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d));
  child.stderr.on('data', (d: Buffer) => (stderr += d));
  return { child, output: () => ({ stdout, stderr }) };
}

/** Pids of the processes that hold a file under `dir` open: the servers a run started write their logs there. */
export function processesWithFilesIn(dir: string): number[] {
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
