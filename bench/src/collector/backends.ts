import fs from 'node:fs';
import path from 'node:path';
import { ensureJaegerBinary, JaegerUnavailableError, startJaeger } from '@tracelens/jaeger';
import { stopOnInterrupt } from '../interrupt.js';
import { cpuSecondsOf, rssOf, spawnCollector } from './process.js';

/**
 * The trace stores the store benchmarks compare, each fed the same OTLP
 * input and asked the same Jaeger API queries: the embedded store (the
 * `tracelens-collector` CLI, SQLite file), the pinned real Jaeger with its
 * memory storage (tools/jaeger/config.yaml) and with Badger, its embedded
 * persistent storage (bench/jaeger/config-badger.yaml).
 */
export type BackendKind = 'store' | 'jaeger-memory' | 'jaeger-badger';

export const BACKEND_LABEL: Record<BackendKind, string> = {
  store: 'store',
  'jaeger-memory': 'Jaeger memory',
  'jaeger-badger': 'Jaeger Badger',
};

export interface Backend {
  kind: BackendKind;
  label: string;
  otlpUrl: string;
  queryUrl: string;
  pid: number;
  /** CPU time used so far by the process, all threads, in seconds. */
  cpuSeconds(): number;
  rssBytes(): number;
  /**
   * Bytes its storage takes on disk (the database and its WAL; Badger's
   * folder); undefined for memory storage. Read it after stop(): both then
   * have flushed what they held in memory.
   */
  diskBytes(): number | undefined;
  stop(): Promise<void>;
}

const BADGER_CONFIG = path.resolve(import.meta.dirname, '../../jaeger/config-badger.yaml');

/**
 * Bytes the files under `dir` take on disk: allocated blocks, not apparent
 * sizes (Badger preallocates its 2 GiB value log as a sparse file).
 */
export function folderBytes(dir: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    total += entry.isDirectory() ? folderBytes(p) : fs.statSync(p).blocks * 512;
  }
  return total;
}

export interface BackendOptions {
  /** A folder of the run's own: the store's database, Badger's files and Jaeger's log go there. */
  dir: string;
  /** Extra flags for the store's CLI. */
  storeArgs?: string[];
  /** Traces Jaeger's memory storage keeps before evicting the oldest: enough for the whole run. */
  maxTraces: number;
}

/** The pinned Jaeger binary, or why the Jaeger side of the comparison cannot run here (no Go, a failed build). */
export async function jaegerBinary(log: (line: string) => void): Promise<{ binary: string } | { unavailable: string }> {
  try {
    return { binary: await ensureJaegerBinary({ log }) };
  } catch (e) {
    if (e instanceof JaegerUnavailableError) return { unavailable: e.message };
    throw e;
  }
}

export async function startBackend(kind: BackendKind, binary: string | undefined, o: BackendOptions): Promise<Backend> {
  if (kind === 'store') {
    const db = path.join(o.dir, 'store', 'traces.db');
    fs.mkdirSync(path.dirname(db), { recursive: true });
    const c = await spawnCollector(['--db', db, '--max-spans', '0', '--retention', '0', ...(o.storeArgs ?? [])]);
    return {
      kind,
      label: BACKEND_LABEL[kind],
      otlpUrl: c.otlpUrl,
      queryUrl: c.queryUrl,
      pid: c.pid,
      cpuSeconds: () => c.cpuSeconds(),
      rssBytes: () => c.rssBytes(),
      diskBytes: () => folderBytes(path.dirname(db)),
      stop: () => c.stop(),
    };
  }
  if (!binary) throw new Error(`${BACKEND_LABEL[kind]} needs the Jaeger binary`);
  const badgerDir = path.join(o.dir, 'badger');
  fs.mkdirSync(kind === 'jaeger-badger' ? badgerDir : o.dir, { recursive: true });
  const jaeger = await startJaeger({
    binary,
    logFile: path.join(o.dir, `${kind}.log`),
    startTimeoutMs: 60_000,
    ...(kind === 'jaeger-badger' ? { configFile: BADGER_CONFIG, env: { JAEGER_BADGER_DIR: badgerDir, JAEGER_LOG_LEVEL: 'warn' } } : { env: { JAEGER_MAX_TRACES: String(o.maxTraces), JAEGER_LOG_LEVEL: 'warn' } }),
  });
  const forget = stopOnInterrupt(() => jaeger.close());
  return {
    kind,
    label: BACKEND_LABEL[kind],
    otlpUrl: jaeger.otlpUrl,
    queryUrl: jaeger.queryUrl,
    pid: jaeger.pid,
    cpuSeconds: () => cpuSecondsOf(jaeger.pid),
    rssBytes: () => rssOf(jaeger.pid),
    diskBytes: () => (kind === 'jaeger-badger' ? folderBytes(badgerDir) : undefined),
    stop: async () => {
      forget();
      await jaeger.close();
    },
  };
}
