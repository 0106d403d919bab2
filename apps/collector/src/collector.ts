import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_CORS_ORIGINS } from './http/cors.js';
import { createOtlpReceiver } from './http/otlp-receiver.js';
import { createQueryApi } from './http/query-api.js';
import { quietLog, type Log } from './log.js';
import { TraceStore, type RetentionPolicy } from './store/store.js';
import { WriteQueue } from './store/write-queue.js';

export interface CollectorOptions {
  /** Address both listeners bind to. Default `127.0.0.1` (CLI: --host, COLLECTOR_HOST). */
  host?: string;
  /** OTLP/HTTP receiver port; 0 picks a free one. Default 4318 (--otlp-port, COLLECTOR_OTLP_PORT). */
  otlpPort?: number;
  /** Jaeger query API port; 0 picks a free one. Default 16686 (--query-port, COLLECTOR_QUERY_PORT). */
  queryPort?: number;
  /** SQLite file, or `:memory:`. Default `.tracelens/traces.db` under the working directory (--db, COLLECTOR_DB). */
  db?: string;
  /** Spans ingested longer ago than this are deleted, in milliseconds; 0 keeps them. Default 24 h (--retention, COLLECTOR_RETENTION). */
  retentionMs?: number;
  /** At most this many spans are kept, oldest deleted first; 0 for no limit. Default 1,000,000 (--max-spans, COLLECTOR_MAX_SPANS). */
  maxSpans?: number;
  /** Largest accepted request body, after decompression, in bytes. Default 16 MiB (--max-body, COLLECTOR_MAX_BODY). */
  maxBodyBytes?: number;
  /** Browser origins allowed to export directly. Default: http://localhost, 127.0.0.1 and [::1] on any port (--cors-origins, COLLECTOR_CORS_ORIGINS). */
  corsOrigins?: string[];
  /** Spans accepted but not yet written before new exports get 503 + Retry-After. Default 200,000 (--max-queue, COLLECTOR_MAX_QUEUE). */
  maxQueueSpans?: number;
  /** Where the collector logs. Default: errors only, as JSON lines on stderr. */
  log?: Log;
  /** Current time in microseconds since the epoch; for tests. Default: the system clock. */
  nowUs?: () => number;
}

export interface RunningCollector {
  host: string;
  otlpPort: number;
  queryPort: number;
  /** e.g. http://127.0.0.1:4318 (exporters append /v1/traces) */
  otlpUrl: string;
  /** e.g. http://127.0.0.1:16686 (Jaeger clients append /api/...) */
  queryUrl: string;
  store: TraceStore;
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
  maxQueueSpans: 200_000,
} as const;

/** How often retention runs, and how many spans one of its transactions deletes at most. */
const RETENTION_INTERVAL_MS = 1000;
const RETENTION_CHUNK = 5000;

/** Starts the OTLP receiver and the Jaeger query API on one store. */
export async function startCollector(options: CollectorOptions = {}): Promise<RunningCollector> {
  const host = options.host ?? DEFAULTS.host;
  const log = options.log ?? quietLog;
  const nowUs = options.nowUs ?? (() => Date.now() * 1000);
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULTS.maxBodyBytes;
  const store = new TraceStore(options.db ?? DEFAULTS.db);
  const queue = new WriteQueue(store, options.maxQueueSpans ?? DEFAULTS.maxQueueSpans, nowUs);

  const otlpServer = http.createServer(
    createOtlpReceiver({ queue, maxBodyBytes, corsOrigins: options.corsOrigins ?? DEFAULTS.corsOrigins, log }),
  );
  const queryServer = http.createServer(createQueryApi({ store, nowUs, maxBodyBytes, log }));
  let stopRetention: (() => void) | undefined;
  try {
    const otlpPort = await listen(otlpServer, host, options.otlpPort ?? DEFAULTS.otlpPort, '--otlp-port / COLLECTOR_OTLP_PORT');
    const queryPort = await listen(queryServer, host, options.queryPort ?? DEFAULTS.queryPort, '--query-port / COLLECTOR_QUERY_PORT');
    const policy: RetentionPolicy = {
      maxAgeUs: (options.retentionMs ?? DEFAULTS.retentionMs) * 1000,
      maxSpans: options.maxSpans ?? DEFAULTS.maxSpans,
    };
    stopRetention = startRetention(store, policy, nowUs, log);
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
          stopRetention?.();
          await Promise.all([stop(otlpServer), stop(queryServer)]);
          await queue.drained();
          store.close();
        })();
        return closing;
      },
    };
  } catch (e) {
    stopRetention?.();
    await Promise.all([stop(otlpServer), stop(queryServer)]);
    store.close();
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
 * Deletes what the policy no longer keeps, a chunk per transaction, yielding
 * to the event loop between chunks so ingest is never stalled for long.
 */
function startRetention(store: TraceStore, policy: RetentionPolicy, nowUs: () => number, log: Log): () => void {
  let running = false;
  let stopped = false;
  const pass = () => {
    if (running) return;
    running = true;
    const step = () => {
      if (stopped) return;
      try {
        const deleted = store.enforceRetention(policy, nowUs(), RETENTION_CHUNK);
        if (deleted === RETENTION_CHUNK) {
          setImmediate(step);
          return;
        }
      } catch (e) {
        log.error('retention failed', { error: String(e) });
      }
      running = false;
    };
    step();
  };
  const timer = setInterval(pass, RETENTION_INTERVAL_MS);
  timer.unref();
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
