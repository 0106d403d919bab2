import { isTraceId, normalizeTraceId } from '@tracelens/jaeger-query/trace-id';

/** One request's outcome. */
export interface RequestResult {
  /** Milliseconds from sending to the end of the body. */
  latencyMs: number;
  /** HTTP status, or 0 when no answer came (connection refused, timeout). */
  status: number;
  traceId?: string;
  error?: string;
}

export interface LoadOptions {
  /** Full URL of the request to repeat. */
  url: string;
  /** Requests started per second (open loop: the schedule does not wait for answers). */
  rate: number;
  /** How long to keep starting requests, in milliseconds. */
  durationMs: number;
  /** Most requests in flight at once; a request due while this many are open is skipped and counted. */
  concurrency: number;
  /** Per-request deadline in milliseconds. */
  timeoutMs: number;
}

export interface LoadProgress {
  sent: number;
  done: number;
  errors: number;
  skipped: number;
  elapsedMs: number;
  /** Requests the schedule will start in all. */
  planned: number;
}

export interface LoadRun {
  results: RequestResult[];
  /** Due requests not sent because `concurrency` were already open. */
  skipped: number;
  elapsedMs: number;
}

const TRACE_RESPONSE = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/;

/**
 * The trace an answer of the web app belongs to: the id in its W3C
 * `traceresponse` header, else its JSON body's `traceId`, in the form the
 * query API takes (so the summary can link it to the trace page).
 */
export function answerTraceId(headers: Headers, body: string): string | undefined {
  const header = TRACE_RESPONSE.exec(headers.get('traceresponse') ?? '');
  if (header) return header[1];
  try {
    const parsed: unknown = JSON.parse(body);
    const id = (parsed as { traceId?: unknown } | null)?.traceId;
    return typeof id === 'string' && isTraceId(id) ? normalizeTraceId(id) : undefined;
  } catch {
    return undefined;
  }
}

async function send(url: string, timeoutMs: number): Promise<RequestResult> {
  const started = performance.now();
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    const body = await res.text();
    return { latencyMs: performance.now() - started, status: res.status, traceId: answerTraceId(res.headers, body) };
  } catch (e) {
    const error = e instanceof Error && e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : String((e as Error).cause ?? e);
    return { latencyMs: performance.now() - started, status: 0, error };
  }
}

/**
 * Starts requests at a fixed rate for the duration (open loop, as real users
 * arrive regardless of how slow the last answer was), then waits for every
 * open one. Calls `onProgress` after each start and each answer.
 */
export async function runLoad(options: LoadOptions, onProgress: (p: LoadProgress) => void = () => {}): Promise<LoadRun> {
  const planned = Math.max(1, Math.floor((options.rate * options.durationMs) / 1000));
  const intervalMs = 1000 / options.rate;
  const results: RequestResult[] = [];
  const open = new Set<Promise<void>>();
  let sent = 0;
  let skipped = 0;
  let errors = 0;
  const started = performance.now();
  const progress = () =>
    onProgress({ sent, done: results.length, errors, skipped, elapsedMs: performance.now() - started, planned });

  for (let i = 0; i < planned; i++) {
    const due = started + i * intervalMs;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    if (open.size >= options.concurrency) {
      skipped++;
      progress();
      continue;
    }
    sent++;
    const request = send(options.url, options.timeoutMs).then((result) => {
      results.push(result);
      if (result.status === 0 || result.status >= 400) errors++;
      open.delete(request);
      progress();
    });
    open.add(request);
    progress();
  }
  await Promise.all(open);
  return { results, skipped, elapsedMs: performance.now() - started };
}
