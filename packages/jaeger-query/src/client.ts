import type { z } from 'zod';
import { traceLogsAnswer } from './logs.js';
import { metricFamilySchema, metricsQueryParams, minStepAnswer, type MetricFamily, type MetricKind, type MetricsQuery } from './metrics.js';
import { fromJaegerTrace, fromLogRecord, type Trace, type TraceLog } from './model.js';
import { normalizeTraceId } from './trace-id.js';
import { v1ErrorAnswer, v1LegacyOperationsAnswer, v1ServicesAnswer, v1TracesAnswer } from './v1.js';
import { v3ErrorAnswer, v3TraceSummariesAnswer, v3TracesAnswer, type JaegerTraceSummary, type OtlpTracesData } from './v3.js';

/**
 * Anything that kept an answer from the query API: unreachable, no answer
 * within the deadline, an error status, or an answer that is not Jaeger's.
 * The message says which, naming the API and, for an error status, Jaeger's
 * own message.
 */
export class JaegerQueryError extends Error {
  override readonly name = 'JaegerQueryError';

  constructor(
    message: string,
    /** The HTTP status of the answer; null when none came or it could not be read. */
    readonly status: number | null,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export interface JaegerQueryClientOptions {
  /** Base URL of the query API, e.g. `http://127.0.0.1:16686` (no `/api`); a trailing slash is dropped. Required. */
  readonly baseUrl: string;
  /** Deadline of each request, reading the answer included, in milliseconds. Default 10000. */
  readonly timeoutMs?: number;
  /** The clock that `lookbackUs` counts back from, in microseconds since the epoch. Default `Date.now() * 1000`. */
  readonly nowUs?: () => number;
}

/** A v1 trace search (`GET /api/traces`). The window is `startUs`..`endUs`, or the last `lookbackUs` before now; none: Jaeger's default. */
export interface TraceSearch {
  readonly service: string;
  readonly operation?: string;
  /** Span or resource attributes a span must have, all of them (Jaeger's `tags`). */
  readonly tags?: Readonly<Record<string, string>>;
  /** Go durations (`250ms`, `1.5s`), as Jaeger takes them. */
  readonly minDuration?: string;
  readonly maxDuration?: string;
  /** Microseconds back from now; ignored when `startUs` is given. */
  readonly lookbackUs?: number;
  /** Microseconds since the epoch. */
  readonly startUs?: number;
  readonly endUs?: number;
  /** Most traces to answer; Jaeger's default is 20. */
  readonly limit?: number;
}

/** An api_v3 search (`/api/v3/traces`, `/api/v3/trace-summaries`). Times in microseconds since the epoch; both are required by Jaeger. */
export interface TraceQuery {
  readonly service?: string;
  readonly operation?: string;
  readonly attributes?: Readonly<Record<string, string>>;
  readonly startUs: number;
  readonly endUs: number;
  readonly minDuration?: string;
  readonly maxDuration?: string;
  /** How many traces deep to search (`query.num_traces`, `query.searchDepth`). */
  readonly limit?: number;
  /** Unadjusted traces (no clock-skew or dedupe adjusters). */
  readonly raw?: boolean;
}

/** An OK answer, or a failure the caller asked to see instead of an error. */
type Outcome<T> = { readonly ok: true; readonly data: T } | { readonly ok: false; readonly status: number };

/**
 * Reads Jaeger's query API: the embedded store's or a real Jaeger's, v1 (what
 * Jaeger UI reads, and the store's own logs endpoint) and api_v3. Every
 * answer is checked against the schemas of v1.ts, v3.ts and logs.ts.
 *
 * One rule for what is not there: a 404 of a lookup by id (the trace, its
 * logs) answers null, and so does v3's 404 for a search that found nothing
 * (as an empty list); every other non-2xx status, a 400 included, throws a
 * JaegerQueryError with Jaeger's message.
 */
export class JaegerQueryClient {
  readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly nowUs: () => number;

  constructor(options: JaegerQueryClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.nowUs = options.nowUs ?? (() => Date.now() * 1000);
  }

  /** Service names, sorted. */
  async services(): Promise<string[]> {
    const { data } = await this.get('/api/services', v1ServicesAnswer, 'v1');
    return sorted(data ?? []);
  }

  /** Operation names of one service, of every kind, sorted (Jaeger UI's endpoint). */
  async operations(service: string): Promise<string[]> {
    const { data } = await this.get(`/api/services/${encodeURIComponent(service)}/operations`, v1LegacyOperationsAnswer, 'v1');
    return sorted(data ?? []);
  }

  /** Traces with a span matching the search, newest (latest first span) first. */
  async findTraces(search: TraceSearch): Promise<Trace[]> {
    const params = new URLSearchParams({ service: search.service });
    if (search.operation !== undefined) params.set('operation', search.operation);
    if (search.tags !== undefined && Object.keys(search.tags).length > 0) params.set('tags', JSON.stringify(search.tags));
    if (search.minDuration !== undefined) params.set('minDuration', search.minDuration);
    if (search.maxDuration !== undefined) params.set('maxDuration', search.maxDuration);
    // Jaeger's query service reads start/end; `lookback` is only a UI notion.
    const endUs = search.endUs ?? (search.startUs === undefined && search.lookbackUs !== undefined ? this.nowUs() : undefined);
    const startUs = search.startUs ?? (search.lookbackUs !== undefined && endUs !== undefined ? endUs - search.lookbackUs : undefined);
    if (startUs !== undefined) params.set('start', String(Math.floor(startUs)));
    if (endUs !== undefined) params.set('end', String(Math.floor(endUs)));
    if (search.limit !== undefined) params.set('limit', String(search.limit));
    const { data } = await this.get(`/api/traces?${params.toString()}`, v1TracesAnswer, 'v1');
    const traces = (data ?? []).map(fromJaegerTrace);
    const startOf = (trace: Trace) => trace.spans.reduce((min, span) => Math.min(min, span.startUs), Number.POSITIVE_INFINITY);
    return traces.sort((a, b) => startOf(b) - startOf(a));
  }

  /** One trace, or null while the store has none of its spans (404). `raw`: without Jaeger's read-time adjusters. */
  async getTrace(traceId: string, options: { readonly raw?: boolean } = {}): Promise<Trace | null> {
    const id = this.traceId(traceId);
    const outcome = await this.lookup(`/api/traces/${id}${options.raw ? '?raw=true' : ''}`, v1TracesAnswer, 'v1');
    const trace = outcome.ok ? outcome.data.data?.[0] : undefined;
    return trace === undefined ? null : fromJaegerTrace(trace);
  }

  /** Several traces at once (`/api/traces?traceID=`): the ones found, and the ids Jaeger listed as not found. */
  async getTraces(traceIds: readonly string[]): Promise<{ traces: Trace[]; missing: string[] }> {
    const params = new URLSearchParams(traceIds.map((id): [string, string] => ['traceID', this.traceId(id)]));
    const body = await this.get(`/api/traces?${params.toString()}`, v1TracesAnswer, 'v1', { allowErrors: true });
    return {
      traces: (body.data ?? []).map(fromJaegerTrace),
      missing: (body.errors ?? []).flatMap((error) => (error.traceID === undefined ? [] : [error.traceID])),
    };
  }

  /**
   * The trace's log records in time order (none: an empty list); null when
   * the backend keeps no logs, i.e. has no such endpoint (a real Jaeger's
   * 404). Other failures throw, as for spans.
   */
  async getTraceLogs(traceId: string): Promise<TraceLog[] | null> {
    const outcome = await this.lookup(`/api/traces/${this.traceId(traceId)}/logs`, traceLogsAnswer, 'v1');
    if (!outcome.ok) return null;
    return (outcome.data.data ?? []).map(fromLogRecord).sort((a, b) => a.timeUs - b.timeUs);
  }

  /** api_v3: one trace as OTLP/JSON, or null when the store has none of its spans. */
  async getOtlpTrace(traceId: string, options: { readonly raw?: boolean } = {}): Promise<OtlpTracesData | null> {
    const outcome = await this.lookup(`/api/v3/traces/${this.traceId(traceId)}${options.raw ? '?raw_traces=true' : ''}`, v3TracesAnswer, 'v3');
    return outcome.ok ? outcome.data.result : null;
  }

  /** api_v3: the matching traces as OTLP/JSON, in one TracesData (none: no resource spans). */
  async findOtlpTraces(query: TraceQuery): Promise<OtlpTracesData> {
    const params = v3QueryParams(query, SNAKE_CASE);
    if (query.raw) params.set('query.raw_traces', 'true');
    // A search that found nothing is a 404 in api_v3.
    const outcome = await this.lookup(`/api/v3/traces?${params.toString()}`, v3TracesAnswer, 'v3');
    return outcome.ok ? outcome.data.result : { resourceSpans: [] };
  }

  /** Jaeger 2.20's trace summaries of the matching traces (the embedded store has them; Jaeger 2.12 answers 404). */
  async traceSummaries(query: TraceQuery): Promise<JaegerTraceSummary[]> {
    const params = v3QueryParams(query, CAMEL_CASE);
    const body = await this.get(`/api/v3/trace-summaries?${params.toString()}`, v3TraceSummariesAnswer, 'v3');
    return body.summaries;
  }

  /**
   * RED metrics from Jaeger's metrics API. A Jaeger without a metrics
   * backend answers 501: a JaegerQueryError with that status.
   */
  async metrics(kind: MetricKind, query: MetricsQuery): Promise<MetricFamily> {
    if (kind === 'latencies' && query.quantile === undefined) throw new JaegerQueryError('a latencies query needs a quantile', null);
    return this.get(`/api/metrics/${kind}?${metricsQueryParams(query).toString()}`, metricFamilySchema, 'v1');
  }

  /** The finest step the metrics backend answers, milliseconds. */
  async metricsMinStep(): Promise<number | null> {
    return (await this.get('/api/metrics/minstep', minStepAnswer, 'v1')).data;
  }

  private traceId(value: string): string {
    try {
      return normalizeTraceId(value);
    } catch (error) {
      throw new JaegerQueryError((error as Error).message, null);
    }
  }

  /** `get`, except that a 404 is an outcome, not an error. */
  private async lookup<S extends z.ZodType>(pathAndQuery: string, schema: S, api: 'v1' | 'v3'): Promise<Outcome<z.output<S>>> {
    const answer = await this.request(pathAndQuery);
    if (answer.status === 404) return { ok: false, status: 404 };
    return { ok: true, data: this.read(answer, pathAndQuery, schema, api, {}) };
  }

  private async get<S extends z.ZodType>(
    pathAndQuery: string,
    schema: S,
    api: 'v1' | 'v3',
    options: { readonly allowErrors?: boolean } = {},
  ): Promise<z.output<S>> {
    return this.read(await this.request(pathAndQuery), pathAndQuery, schema, api, options);
  }

  private async request(pathAndQuery: string): Promise<{ status: number; text: string }> {
    const what = this.what(pathAndQuery);
    try {
      const response = await fetch(`${this.baseUrl}${pathAndQuery}`, {
        headers: { accept: 'application/json' },
        ...NO_STORE,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      return { status: response.status, text: await response.text() };
    } catch (error) {
      if (error instanceof Error && error.name === 'TimeoutError') {
        throw new JaegerQueryError(`${what}: no answer within ${this.timeoutMs} ms`, null, { cause: error });
      }
      throw new JaegerQueryError(`${what}: the query API is unreachable (${networkReason(error)})`, null, { cause: error });
    }
  }

  /**
   * The answer checked against `schema`, or the error Jaeger wrote. Error
   * bodies come as text/plain whatever they hold: Jaeger's JSON (v1
   * envelope, api_v3 error object), or plain text from a router that has no
   * such endpoint ("404 page not found").
   */
  private read<S extends z.ZodType>(
    answer: { status: number; text: string },
    pathAndQuery: string,
    schema: S,
    api: 'v1' | 'v3',
    { allowErrors = false }: { readonly allowErrors?: boolean },
  ): z.output<S> {
    const what = this.what(pathAndQuery);
    let json: unknown;
    try {
      json = JSON.parse(answer.text);
    } catch {
      json = undefined;
    }
    if (answer.status < 200 || answer.status > 299) {
      const message = errorMessage(json, api) ?? answer.text.trim().slice(0, 200);
      throw new JaegerQueryError(`${what} answered ${answer.status}${message ? `: ${message}` : ''}`, answer.status);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue === undefined || issue.path.length === 0 ? '' : ` at ${issue.path.join('.')}`;
      throw new JaegerQueryError(
        `${what} answered something that is not Jaeger ${api} JSON${where}${issue ? `: ${issue.message}` : ''}`,
        answer.status,
      );
    }
    const errors = (parsed.data as { errors?: { msg: string }[] | null }).errors;
    if (!allowErrors && errors && errors.length > 0) {
      throw new JaegerQueryError(`${what}: ${errors.map((e) => e.msg).join('; ')}`, answer.status);
    }
    return parsed.data;
  }

  private what(pathAndQuery: string): string {
    return `GET ${pathAndQuery.split('?')[0] ?? ''} on ${this.baseUrl}`;
  }
}

/** api_v3's search parameter names, by the spelling a Jaeger version reads. */
interface V3ParamNames {
  readonly service: string;
  readonly operation: string;
  readonly startMin: string;
  readonly startMax: string;
  readonly durationMin: string;
  readonly durationMax: string;
  readonly limit: string;
}

/** Jaeger 2.12's names, which 2.19 and later still take as aliases; `/api/v3/traces` of every version reads them. */
const SNAKE_CASE: V3ParamNames = {
  service: 'query.service_name',
  operation: 'query.operation_name',
  startMin: 'query.start_time_min',
  startMax: 'query.start_time_max',
  durationMin: 'query.duration_min',
  durationMax: 'query.duration_max',
  limit: 'query.num_traces',
};

/** Jaeger UI 2.20's names, the only ones its trace summaries are asked with. */
const CAMEL_CASE: V3ParamNames = {
  service: 'query.serviceName',
  operation: 'query.operationName',
  startMin: 'query.startTimeMin',
  startMax: 'query.startTimeMax',
  durationMin: 'query.durationMin',
  durationMax: 'query.durationMax',
  limit: 'query.searchDepth',
};

function v3QueryParams(query: TraceQuery, names: V3ParamNames): URLSearchParams {
  const params = new URLSearchParams();
  if (query.service !== undefined) params.set(names.service, query.service);
  if (query.operation !== undefined) params.set(names.operation, query.operation);
  if (query.attributes !== undefined) params.set('query.attributes', JSON.stringify(query.attributes));
  params.set(names.startMin, rfc3339(query.startUs));
  params.set(names.startMax, rfc3339(query.endUs));
  if (query.minDuration !== undefined) params.set(names.durationMin, query.minDuration);
  if (query.maxDuration !== undefined) params.set(names.durationMax, query.maxDuration);
  if (query.limit !== undefined) params.set(names.limit, String(query.limit));
  return params;
}

/**
 * Next.js caches a server component's fetches unless told not to, and a trace
 * that is still arriving must be read afresh each time. (Spread in, since
 * Node's own RequestInit type does not list `cache`, which Node ignores.)
 */
const NO_STORE = { cache: 'no-store' } as const;

/** Jaeger's message from an error body of the API's style, if it is one. */
function errorMessage(json: unknown, api: 'v1' | 'v3'): string | undefined {
  if (api === 'v3') {
    const v3 = v3ErrorAnswer.safeParse(json);
    if (v3.success) return v3.data.error.message;
  }
  const v1 = v1ErrorAnswer.safeParse(json);
  return v1.success ? v1.data.errors.map((e) => e.msg).join('; ') : undefined;
}

const sorted = (names: readonly string[]): string[] => [...names].sort((a, b) => a.localeCompare(b));

/** Microseconds since the epoch as RFC 3339 with microseconds, as api_v3 takes times. */
function rfc3339(us: number): string {
  const whole = Math.floor(us);
  const iso = new Date(Math.floor(whole / 1000)).toISOString(); // …T02:00:00.000Z
  return `${iso.slice(0, 19)}.${String(((whole % 1_000_000) + 1_000_000) % 1_000_000).padStart(6, '0')}Z`;
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
