/**
 * The parts of Jaeger's v1 query API JSON that trace assertions read.
 * Timestamps and durations are microseconds.
 */
export interface JaegerTag {
  key: string;
  type: string;
  value: string | number | boolean;
}

export interface JaegerSpan {
  traceID: string;
  spanID: string;
  operationName: string;
  references: { refType: string; traceID: string; spanID: string }[];
  startTime: number;
  duration: number;
  tags: JaegerTag[];
  logs: { timestamp: number; fields: JaegerTag[] }[];
  processID: string;
  warnings: string[] | null;
}

export interface JaegerTrace {
  traceID: string;
  spans: JaegerSpan[];
  processes: Record<string, { serviceName: string; tags: JaegerTag[] }>;
  warnings: string[] | null;
}

interface Envelope<T> {
  data: T | null;
  errors: { code: number; msg: string }[] | null;
}

/** Search parameters of GET /api/traces (times in microseconds, durations as Go durations). */
export interface TraceSearch {
  service: string;
  operation?: string;
  tags?: Record<string, string>;
  start?: number;
  end?: number;
  minDuration?: string;
  maxDuration?: string;
  limit?: number;
}

/**
 * Reads traces from a Jaeger query endpoint: the Tracelens collector's
 * (default http://127.0.0.1:16686) or a real Jaeger's, so the same
 * assertions run against either.
 */
export class JaegerQueryClient {
  readonly baseUrl: string;

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  /** The trace, or undefined while Jaeger has none of its spans (404). */
  async getTrace(traceId: string): Promise<JaegerTrace | undefined> {
    const res = await fetch(`${this.baseUrl}/api/traces/${traceId}`);
    if (res.status === 404) return undefined;
    const [trace] = await this.data<JaegerTrace[]>(res, `GET /api/traces/${traceId}`);
    return trace;
  }

  async findTraces(search: TraceSearch): Promise<JaegerTrace[]> {
    const params = new URLSearchParams({ service: search.service });
    if (search.operation) params.set('operation', search.operation);
    if (search.tags) params.set('tags', JSON.stringify(search.tags));
    if (search.start !== undefined) params.set('start', String(search.start));
    if (search.end !== undefined) params.set('end', String(search.end));
    if (search.minDuration) params.set('minDuration', search.minDuration);
    if (search.maxDuration) params.set('maxDuration', search.maxDuration);
    if (search.limit !== undefined) params.set('limit', String(search.limit));
    const res = await fetch(`${this.baseUrl}/api/traces?${params}`);
    return this.data<JaegerTrace[]>(res, `GET /api/traces?${params}`);
  }

  async services(): Promise<string[]> {
    return this.data<string[]>(await fetch(`${this.baseUrl}/api/services`), 'GET /api/services');
  }

  private async data<T>(res: Response, what: string): Promise<T> {
    const text = await res.text();
    let body: Envelope<T>;
    try {
      body = JSON.parse(text) as Envelope<T>;
    } catch {
      throw new Error(`${what} on ${this.baseUrl} answered ${res.status} with a body that is not JSON: ${text.slice(0, 200)}`);
    }
    if (!res.ok || body.errors?.length) {
      throw new Error(`${what} on ${this.baseUrl} answered ${res.status}: ${body.errors?.map((e) => e.msg).join('; ') ?? text.slice(0, 200)}`);
    }
    return (body.data ?? []) as T;
  }
}
