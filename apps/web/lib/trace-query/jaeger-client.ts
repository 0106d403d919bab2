import { z } from 'zod';
import { fromJaegerTrace } from '../trace-model/from-jaeger';
import { fromLogRecord, type TraceLog } from '../trace-model/logs';
import type { Trace } from '../trace-model/types';
import { envelope, jaegerTraceSchema } from './jaeger-schema';
import { traceLogsEnvelope } from './logs-schema';
import type { TraceSearch } from './search';

/**
 * Server-side reader of a Jaeger v1 query API: the embedded collector's or a
 * real Jaeger's. The endpoints both have: `/api/services`,
 * `/api/services/{service}/operations`, `/api/traces` and `/api/traces/{id}`;
 * and the embedded store's own `/api/traces/{id}/logs`, which a backend
 * without it (Jaeger) answers 404. The browser never calls this; pages and
 * route handlers do.
 */

/** Anything that kept an answer from the store: unreachable, timed out, an error status, or not Jaeger JSON. */
export class TraceQueryError extends Error {
  override readonly name = 'TraceQueryError';
}

export interface JaegerQueryClientOptions {
  /** Base URL of the query API, e.g. `http://127.0.0.1:16686` (no `/api`). */
  readonly baseUrl: string;
  /** Deadline for each request, body included, in milliseconds. Default 10000. */
  readonly timeoutMs?: number;
  /** The clock for lookbacks, in microseconds since the epoch. Default `Date.now() * 1000`. */
  readonly nowUs?: () => number;
}

/** 1 to 32 hex digits: Jaeger accepts ids without their leading zeros. */
export const TRACE_ID_PATTERN = /^[0-9a-f]{1,32}$/i;

const stringList = envelope(z.array(z.string()));
const traceList = envelope(z.array(jaegerTraceSchema));

export class JaegerQueryClient {
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly nowUs: () => number;

  constructor(options: JaegerQueryClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.nowUs = options.nowUs ?? (() => Date.now() * 1000);
  }

  /** Service names, sorted. */
  async services(): Promise<string[]> {
    const names = (await this.get('/api/services', stringList)) ?? [];
    return [...names].sort((a, b) => a.localeCompare(b));
  }

  /** Operation names of one service, sorted. */
  async operations(service: string): Promise<string[]> {
    const names = (await this.get(`/api/services/${encodeURIComponent(service)}/operations`, stringList)) ?? [];
    return [...names].sort((a, b) => a.localeCompare(b));
  }

  /** Traces with a span matching the search, newest (latest start) first. */
  async findTraces(search: TraceSearch): Promise<Trace[]> {
    const endUs = this.nowUs();
    const params = new URLSearchParams({ service: search.service });
    if (search.operation !== undefined) params.set('operation', search.operation);
    if (Object.keys(search.tags).length > 0) params.set('tags', JSON.stringify(search.tags));
    if (search.minDuration !== undefined) params.set('minDuration', search.minDuration);
    if (search.maxDuration !== undefined) params.set('maxDuration', search.maxDuration);
    // Jaeger's query service reads start/end; `lookback` is only a UI notion.
    params.set('start', String(Math.floor(endUs - search.lookbackUs)));
    params.set('end', String(Math.floor(endUs)));
    params.set('limit', String(search.limit));
    const traces = ((await this.get(`/api/traces?${params}`, traceList)) ?? []).map(fromJaegerTrace);
    const startOf = (trace: Trace) => trace.spans.reduce((min, span) => Math.min(min, span.startUs), Number.POSITIVE_INFINITY);
    return traces.sort((a, b) => startOf(b) - startOf(a));
  }

  /** One trace, or null when the store has no span of it (yet). */
  async getTrace(traceId: string): Promise<Trace | null> {
    if (!TRACE_ID_PATTERN.test(traceId)) {
      throw new TraceQueryError(`"${traceId}" is not a trace id (1 to 32 hex digits)`);
    }
    const traces = await this.get(`/api/traces/${traceId.toLowerCase()}`, traceList, { notFoundAsNull: true });
    const trace = traces?.[0];
    return trace === undefined ? null : fromJaegerTrace(trace);
  }

  /**
   * The trace's log records, in time order (none: an empty list); null when
   * the backend keeps no logs, i.e. has no such endpoint (404). Other
   * failures throw, as for spans.
   */
  async getTraceLogs(traceId: string): Promise<TraceLog[] | null> {
    if (!TRACE_ID_PATTERN.test(traceId)) {
      throw new TraceQueryError(`"${traceId}" is not a trace id (1 to 32 hex digits)`);
    }
    // The envelope turns `data: null` into [], so null here can only be the 404.
    const records = await this.get(`/api/traces/${traceId.toLowerCase()}/logs`, traceLogsEnvelope, { notFoundAsNull: true });
    return records === null ? null : records.map(fromLogRecord).sort((a, b) => a.timeUs - b.timeUs);
  }

  private async get<T>(
    pathAndQuery: string,
    schema: z.ZodType<{ data?: T | null | undefined; errors: { msg: string }[] }>,
    options: { notFoundAsNull?: boolean } = {},
  ): Promise<T | null> {
    const url = `${this.baseUrl}${pathAndQuery}`;
    const what = `the trace store at ${this.baseUrl}`;
    let status: number;
    let text: string;
    try {
      const response = await fetch(url, {
        headers: { accept: 'application/json' },
        cache: 'no-store',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      status = response.status;
      text = await response.text();
    } catch (error) {
      if (error instanceof Error && error.name === 'TimeoutError') {
        throw new TraceQueryError(`${what} did not answer within ${this.timeoutMs} ms`, { cause: error });
      }
      throw new TraceQueryError(`${what} is unreachable (${networkReason(error)})`, { cause: error });
    }
    if (status === 404 && options.notFoundAsNull) return null;

    let body: { data?: T | null | undefined; errors: { msg: string }[] } | undefined;
    try {
      const parsed = schema.safeParse(JSON.parse(text));
      body = parsed.success ? parsed.data : undefined;
    } catch {
      body = undefined;
    }
    if (status < 200 || status > 299) {
      const detail = body?.errors.map((e) => e.msg).join('; ') || text.slice(0, 200);
      throw new TraceQueryError(`${what} answered ${status} to ${pathAndQuery.split('?')[0] ?? ''}${detail ? `: ${detail}` : ''}`);
    }
    if (body === undefined) {
      throw new TraceQueryError(`${what} answered ${pathAndQuery.split('?')[0] ?? ''} with something that is not Jaeger v1 JSON`);
    }
    if (body.errors.length > 0) {
      throw new TraceQueryError(`${what}: ${body.errors.map((e) => e.msg).join('; ')}`);
    }
    return body.data ?? null;
  }
}

/** undici's "fetch failed" hides the reason (ECONNREFUSED, ENOTFOUND, ...) in `cause`. */
function networkReason(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  if (typeof cause === 'object' && cause !== null) {
    const { code, message } = cause as { code?: unknown; message?: unknown };
    if (typeof code === 'string') return code;
    if (typeof message === 'string' && message !== '') return message;
  }
  return error instanceof Error ? error.message : String(error);
}
