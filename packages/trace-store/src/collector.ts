import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_CORS_ORIGINS } from './http/cors.js';
import { createOtlpReceiver } from './http/otlp-receiver.js';
import { createQueryApi } from './http/query-api.js';
import { Ingest } from './ingest/ingest.js';
import { quietLog, type Log } from './log.js';
import { QueryService } from './query/service.js';
import { lockDatabaseFile, type OwnerLock } from './store/owner-lock.js';
import { StoreReader } from './store/reader.js';
import { TailSampler } from './store/tail-sampler.js';
import type { RetentionPolicy } from './store/writer.js';
import { StoreThreads } from './threads/store-threads.js';

export interface CollectorOptions {
  /** Address both listeners bind to. Default `127.0.0.1` (CLI: --host, COLLECTOR_HOST). */
  host?: string;
  /** OTLP/HTTP receiver port; 0 picks a free one. Default 4318 (--otlp-port, COLLECTOR_OTLP_PORT). */
  otlpPort?: number;
  /** Jaeger query API port; 0 picks a free one. Default 16686 (--query-port, COLLECTOR_QUERY_PORT). */
  queryPort?: number;
  /** SQLite file, or `:memory:` (a private temporary file, deleted at close). Default `.tracelens/traces.db` under the working directory (--db, COLLECTOR_DB). */
  db?: string;
  /** Spans and log records ingested longer ago than this are deleted, in milliseconds; 0 keeps them. Default 24 h (--retention, COLLECTOR_RETENTION). */
  retentionMs?: number;
  /** At most this many spans, and this many log records, are kept, oldest deleted first; 0 for no limit. Default 1,000,000 (--max-spans, COLLECTOR_MAX_SPANS). */
  maxSpans?: number;
  /** Largest accepted request body, after decompression, in bytes. Default 16 MiB (--max-body, COLLECTOR_MAX_BODY). */
  maxBodyBytes?: number;
  /** Browser origins allowed to export directly. Default: http://localhost, 127.0.0.1 and [::1] on any port (--cors-origins, COLLECTOR_CORS_ORIGINS). */
  corsOrigins?: string[];
  /** Spans and log records accepted but not yet written before new exports get 503 + Retry-After. Default 20,000 (--max-queue, COLLECTOR_MAX_QUEUE). */
  maxQueueSpans?: number;
  /** Tail sampling: keep errored and slow traces and a ratio of the rest, delete the others after `tailWaitMs`. Default off (--tail-sampling, COLLECTOR_TAIL_SAMPLING=on|off). */
  tailSampling?: boolean;
  /** How long after a trace's last span arrived the decision waits for late spans, in milliseconds. Default 5 s (--tail-wait, COLLECTOR_TAIL_WAIT). */
  tailWaitMs?: number;
  /** Traces lasting at least this long end to end are kept, in milliseconds. Default 1 s (--tail-latency, COLLECTOR_TAIL_LATENCY). */
  tailLatencyMs?: number;
  /** Fraction (0..1) of the other traces kept, chosen by trace id so every collector agrees. Default 0.1 (--tail-ratio, COLLECTOR_TAIL_RATIO). */
  tailRatio?: number;
  /** Threads that decode exports, beside the main thread (HTTP, queries) and the writer thread. Default: the cores available, at most 4. */
  decodeThreads?: number;
  /** Where the collector logs. Default: errors only, as JSON lines on stderr. */
  log?: Log;
  /** Current time in microseconds since the epoch; for tests. Default: the system clock. */
  nowUs?: () => number;
}

export interface RunningCollector {
  host: string;
  otlpPort: number;
  queryPort: number;
  /** e.g. http://127.0.0.1:4318 (exporters append /v1/traces, /v1/logs) */
  otlpUrl: string;
  /** e.g. http://127.0.0.1:16686 (Jaeger clients append /api/...) */
  queryUrl: string;
  /** The store's read side (what the query API reads), e.g. for counting what it holds. */
  store: StoreReader;
  /** Stops accepting, finishes the writes already accepted, closes the database. */
  close(): Promise<void>;
}

export const DEFAULTS = {
  host: '127.0.0.1',
  otlpPort: 4318,
  queryPort: 16686,
  db: '.tracelens/traces.db',
  retentionMs: 24 * 3600 * 1000,
  maxSpans: 1_000_000,
  maxBodyBytes: 16 * 1024 * 1024,
  corsOrigins: DEFAULT_CORS_ORIGINS,
  // About a second of writing at the rate one SQLite writer sustains on a
  // small machine (bench `ingest`): a queued export is answered well inside
  // an exporter's 10 s timeout, and the decoded spans waiting stay a few tens
  // of MB (bench `memory`: 200,000 let an overload grow RSS past 300 MB).
  maxQueueSpans: 20_000,
  tailSampling: false,
  tailWaitMs: 5000,
  tailLatencyMs: 1000,
  tailRatio: 0.1,
} as const;

/**
 * Tail sampling's memory bounds: traces awaiting a decision (about 200 bytes
 * each) and decisions remembered for late spans (about 100 bytes each).
 */
const TAIL_MAX_PENDING = 50_000;
const TAIL_MAX_DECISIONS = 200_000;
/** The longest real time between decision checks; shorter when the wait is. */
const TAIL_TICK_MS = 250;

/** Bodies of exports waiting to be decoded, per span and log record the queue may hold (a JSON span is about 0.5 KiB). */
const PENDING_BYTES_PER_ITEM = 1024;

/** How often retention runs, and how many spans (or log records) one of its transactions deletes at most. */
const RETENTION_INTERVAL_MS = 1000;
const RETENTION_CHUNK = 5000;

/** Starts the OTLP receiver and the Jaeger query API on one store. */
export async function startCollector(options: CollectorOptions = {}): Promise<RunningCollector> {
  const host = options.host ?? DEFAULTS.host;
  const log = options.log ?? quietLog;
  const nowUs = options.nowUs ?? (() => Date.now() * 1000);
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULTS.maxBodyBytes;
  const tailRatio = options.tailRatio ?? DEFAULTS.tailRatio;
  if (!(tailRatio >= 0 && tailRatio <= 1)) throw new Error(`tailRatio must be between 0 and 1, got ${tailRatio}`);
  const tailWaitMs = options.tailWaitMs ?? DEFAULTS.tailWaitMs;
  const tailLatencyMs = options.tailLatencyMs ?? DEFAULTS.tailLatencyMs;
  for (const [name, ms] of [['tailWaitMs', tailWaitMs], ['tailLatencyMs', tailLatencyMs]] as const) {
    if (!(Number.isFinite(ms) && ms >= 0)) throw new Error(`${name} must be a duration of 0 ms or more, got ${ms}`);
  }
  const db = options.db ?? DEFAULTS.db;
  const decodeThreads = options.decodeThreads ?? Math.max(1, Math.min(4, os.availableParallelism()));
  if (!(Number.isInteger(decodeThreads) && decodeThreads >= 1)) throw new Error(`decodeThreads must be a whole number of 1 or more, got ${decodeThreads}`);

  // `:memory:` is a private file in a temporary folder: the writer and the reader are two connections, on two threads.
  const temporary = db === ':memory:' ? fs.mkdtempSync(path.join(os.tmpdir(), 'tracelens-store-')) : undefined;
  const file = temporary ? path.join(temporary, 'traces.db') : path.resolve(db);
  let ownerLock: OwnerLock | undefined;
  let threads: StoreThreads | undefined;
  let reader: StoreReader | undefined;
  const release = () => {
    reader?.close();
    ownerLock?.release();
    if (temporary) fs.rmSync(temporary, { recursive: true, force: true });
  };
  try {
    if (!temporary) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      ownerLock = lockDatabaseFile(file);
    }
    threads = await StoreThreads.start({ file, temporary: temporary !== undefined, decoders: decodeThreads, log });
    reader = new StoreReader(file);
  } catch (e) {
    await threads?.close();
    release();
    throw e;
  }
  const store = reader;
  const storeThreads = threads;

  const sampler = (options.tailSampling ?? DEFAULTS.tailSampling)
    ? new TailSampler(
        storeThreads,
        {
          waitUs: tailWaitMs * 1000,
          latencyUs: tailLatencyMs * 1000,
          ratio: tailRatio,
          maxPending: TAIL_MAX_PENDING,
          maxDecisions: TAIL_MAX_DECISIONS,
        },
        nowUs,
        log,
      )
    : undefined;
  const maxQueueSpans = options.maxQueueSpans ?? DEFAULTS.maxQueueSpans;
  const ingest = new Ingest(
    storeThreads,
    { maxPendingItems: maxQueueSpans, maxPendingBytes: Math.max(maxBodyBytes, maxQueueSpans * PENDING_BYTES_PER_ITEM) },
    nowUs,
    sampler ? (traces, committedUs) => sampler.observe(traces, committedUs) : undefined,
  );

  const otlpServer = http.createServer(
    createOtlpReceiver({ ingest, maxBodyBytes, corsOrigins: options.corsOrigins ?? DEFAULTS.corsOrigins, log }),
  );
  const tailSampling = () => (sampler ? sampler.stats() : { enabled: false as const });
  const queryServer = http.createServer(createQueryApi({ service: new QueryService(store), nowUs, maxBodyBytes, log, tailSampling }));
  let stopRetention: (() => Promise<void>) | undefined;
  try {
    const otlpPort = await listen(otlpServer, host, options.otlpPort ?? DEFAULTS.otlpPort, '--otlp-port / COLLECTOR_OTLP_PORT');
    const queryPort = await listen(queryServer, host, options.queryPort ?? DEFAULTS.queryPort, '--query-port / COLLECTOR_QUERY_PORT');
    const policy: RetentionPolicy = {
      maxAgeUs: (options.retentionMs ?? DEFAULTS.retentionMs) * 1000,
      maxSpans: options.maxSpans ?? DEFAULTS.maxSpans,
    };
    stopRetention = startRetention(storeThreads, policy, nowUs, log);
    sampler?.start(Math.max(10, Math.min(TAIL_TICK_MS, tailWaitMs)));
    const urlHost = host.includes(':') ? `[${host}]` : host;
    let closing: Promise<void> | undefined;
    return {
      host,
      otlpPort,
      queryPort,
      otlpUrl: `http://${urlHost}:${otlpPort}`,
      queryUrl: `http://${urlHost}:${queryPort}`,
      store,
      close: () => {
        closing ??= (async () => {
          await stopRetention?.();
          await Promise.all([stop(otlpServer), stop(queryServer)]);
          await ingest.drained();
          // After the last commits (so their traces were observed), before the database closes.
          if (sampler) log.info('tail sampling', { ...(await sampler.close()) });
          // The read-only connection first: SQLite folds the WAL into the file and deletes it only when the last
          // connection to close is one that may write, so a stopped store is one file, whole, to copy or back up.
          reader?.close();
          await storeThreads.close();
          release();
        })();
        return closing;
      },
    };
  } catch (e) {
    await stopRetention?.();
    await sampler?.close();
    await Promise.all([stop(otlpServer), stop(queryServer)]);
    reader?.close();
    await storeThreads.close();
    release();
    throw e;
  }
}

function listen(server: http.Server, host: string, port: number, flag: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      reject(
        e.code === 'EADDRINUSE'
          ? new Error(`port ${port} on ${host} is already in use (another collector or Jaeger?); choose another with ${flag}`)
          : e,
      );
    });
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

/** Closes a server, giving open keep-alive connections no say in how long that takes. */
function stop(server: http.Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), 2000).unref();
  });
}

/**
 * Deletes what the policy no longer keeps, a chunk per transaction on the
 * writer thread, so ingest commits in between. Returns a function that stops
 * it and resolves once a pass under way has finished.
 */
function startRetention(threads: StoreThreads, policy: RetentionPolicy, nowUs: () => number, log: Log): () => Promise<void> {
  let running: Promise<void> | undefined;
  let stopped = false;
  const pass = async () => {
    try {
      while (!stopped && (await threads.enforceRetention(policy, nowUs(), RETENTION_CHUNK)) >= RETENTION_CHUNK);
    } catch (e) {
      if (!stopped) log.error('retention failed', { error: String(e) });
    }
  };
  const timer = setInterval(() => {
    running ??= pass().finally(() => (running = undefined));
  }, RETENTION_INTERVAL_MS);
  timer.unref();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
}
