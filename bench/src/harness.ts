import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** What every benchmark result carries, so a number is never read without its context. */
export interface BenchmarkResult {
  name: string;
  /** One sentence: what was measured, how. */
  measured: string;
  machine: { cores: number; cpu: string; memoryGiB: number; node: string; platform: string };
  parameters: Record<string, unknown>;
  /** The figures, each compared with its target when it has one. */
  figures: Figure[];
  /** Where the time goes, or what it would take to meet a missed target. */
  notes: string[];
  smoke: boolean;
  finishedAt: string;
}

export interface Figure {
  label: string;
  value: number;
  unit: string;
  /** e.g. ">= 100000" or "<= 5"; omitted for figures without a target. */
  target?: { op: '>=' | '<='; value: number };
  /**
   * A correctness target (nothing lost, every refusal says when to retry),
   * not a speed one: missing it fails the run, at smoke size too, so CI
   * catches a broken guarantee. Speed targets are reported, never asserted.
   */
  invariant?: boolean;
}

export interface BenchmarkContext {
  /** Tiny sizes for CI: proves the code runs, measures nothing worth reading. */
  smoke: boolean;
  log: (line: string) => void;
  /** Sizes and peers asked for on the command line; a benchmark that does not take one ignores it. */
  options: BenchOptions;
}

/** The stores the store benchmarks compare (see collector/backends.ts). */
export const BACKENDS = ['store', 'jaeger-memory', 'jaeger-badger'] as const;

export interface BenchOptions {
  /** `query`: spans to fill each store with (default 1,000,000; smoke 10,000). */
  spans?: number;
  /** `ingest`, `query`: which stores to run (default all three). */
  backends?: (typeof BACKENDS)[number][];
}

export interface Benchmark {
  name: string;
  run(ctx: BenchmarkContext): Promise<Omit<BenchmarkResult, 'name' | 'machine' | 'smoke' | 'finishedAt'>>;
}

export function machine(): BenchmarkResult['machine'] {
  return {
    cores: os.availableParallelism(),
    cpu: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  };
}

export function met(f: Figure): boolean | undefined {
  if (!f.target) return undefined;
  return f.target.op === '>=' ? f.value >= f.target.value : f.value <= f.target.value;
}

/** Percentile by nearest rank of an unsorted sample. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

export const RESULTS_DIR = path.resolve(import.meta.dirname, '../results');

export function writeResult(result: BenchmarkResult): string {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${result.name}${result.smoke ? '.smoke' : ''}.json`);
  fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}

const fmt = (n: number) => (Number.isInteger(n) ? n.toLocaleString('en-US') : n.toLocaleString('en-US', { maximumFractionDigits: 2 }));

/** The results as a Markdown table (the README's Performance section uses the same). */
export function table(results: readonly BenchmarkResult[]): string {
  const rows = ['| benchmark | figure | value | target | met |', '| --- | --- | --- | --- | --- |'];
  for (const r of results) {
    for (const f of r.figures) {
      const ok = met(f);
      rows.push(
        `| ${r.name} | ${f.label} | ${fmt(f.value)} ${f.unit} | ${f.target ? `${f.target.op} ${fmt(f.target.value)} ${f.unit}` : ''} | ${ok === undefined ? '' : ok ? 'yes' : 'NO'} |`,
      );
    }
  }
  return rows.join('\n');
}
