import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { packageDir } from '@tracelens/stack';
import { stopOnInterrupt } from '../interrupt.js';

/** The `tracelens-collector` command of the @tracelens/collector app (its store is @tracelens/trace-store). */
const CLI = path.join(packageDir('@tracelens/collector'), 'bin', 'tracelens-collector.js');

export interface CollectorProcess {
  pid: number;
  otlpUrl: string;
  queryUrl: string;
  /** Resident set size now, in bytes (VmRSS from /proc; NaN where there is no /proc). */
  rssBytes(): number;
  /** CPU time used so far by all its threads, user + system, in seconds (NaN where there is no /proc). */
  cpuSeconds(): number;
  /** SIGTERM (the collector finishes accepted writes and closes the database), then waits for the exit. */
  stop(): Promise<void>;
}

/**
 * Starts `tracelens-collector` on free ports with `args`
 * (e.g. `--db`, `--max-queue`); `nodeArgs` go to node itself (e.g. `--cpu-prof`).
 * Resolves once it prints its URLs.
 */
export async function spawnCollector(args: string[], nodeArgs: string[] = []): Promise<CollectorProcess> {
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, CLI, '--otlp-port', '0', '--query-port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (stderr.length > 100_000) stderr = stderr.slice(-50_000);
  });
  const urls = await new Promise<{ otlpUrl: string; queryUrl: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the collector did not start within 20 s: ${stderr}`)), 20_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the collector exited with ${code}: ${stderr}`));
    });
    child.stdout?.on('data', (d: Buffer) => {
      stdout += d.toString();
      const otlp = /OTLP\/HTTP receiver: +(\S+)\/v1\/traces/.exec(stdout)?.[1];
      const query = /Jaeger query API: +(\S+)\/api\/services/.exec(stdout)?.[1];
      if (otlp && query) {
        clearTimeout(timer);
        resolve({ otlpUrl: otlp, queryUrl: query });
      }
    });
  });
  child.removeAllListeners('exit');
  const pid = child.pid as number;
  const forget = stopOnInterrupt(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  });
  return {
    pid,
    ...urls,
    rssBytes: () => rssOf(pid),
    cpuSeconds: () => cpuSecondsOf(pid),
    stop: async () => {
      forget();
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      const [code] = (await exited) as [number | null];
      clearTimeout(timer);
      if (code !== 0) throw new Error(`the collector exited with ${code}: ${stderr.slice(-2000)}`);
    },
  };
}

/** VmRSS of a process from /proc, in bytes; NaN where there is no /proc. */
export function rssOf(pid: number): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
    return kb === undefined ? NaN : Number(kb) * 1024;
  } catch {
    return NaN;
  }
}

/** utime + stime of /proc/<pid>/stat, in clock ticks of 1/100 s (USER_HZ on Linux). */
export function cpuSecondsOf(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

/** Samples a process's RSS every `everyMs` until stopped; returns the samples in bytes. */
export function sampleRss(collector: { rssBytes(): number }, everyMs: number): { stop(): number[] } {
  const samples: number[] = [];
  const take = () => {
    const rss = collector.rssBytes();
    if (Number.isFinite(rss)) samples.push(rss);
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      take();
      return samples;
    },
  };
}

/** A temporary directory for a benchmark's database, removed by the returned function. */
export function tempDir(prefix: string): { dir: string; remove(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
