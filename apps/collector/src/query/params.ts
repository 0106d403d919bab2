import { SpanKind } from '../otlp/model.js';
import type { TraceQuery } from '../store/store.js';

/** A query parameter that cannot be used; answered 400 with this message. */
export class BadRequestError extends Error {
  override readonly name = 'BadRequestError';
}

/** Searches return at most this many traces, whatever `limit` asks for. */
export const MAX_TRACES_PER_SEARCH = 1000;
/** Jaeger's default `limit` for /api/traces. */
const DEFAULT_V1_LIMIT = 100;
/** Jaeger's default `query.search_depth` for api_v3. */
const DEFAULT_V3_LIMIT = 20;

const TRACE_ID = /^[0-9a-f]{1,32}$/;

/** A trace id from a URL, padded to 32 hex digits as Jaeger does for 64-bit ids. */
export function parseTraceId(raw: string): string {
  const id = raw.toLowerCase();
  if (!TRACE_ID.test(id)) throw new BadRequestError(`malformed trace id ${JSON.stringify(raw)}: expected up to 32 hex digits`);
  return id.padStart(32, '0');
}

const UNIT_US: Record<string, number> = { ns: 0.001, us: 1, µs: 1, μs: 1, ms: 1000, s: 1e6, m: 60e6, h: 3600e6 };
const GO_DURATION = /^(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/;

/** A Go duration ("1.5h", "300ms", "2h45m", "10us") in microseconds. */
export function parseGoDuration(raw: string, param: string): number {
  let rest = raw.trim();
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    sign = rest.startsWith('-') ? -1 : 1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  let total = 0;
  if (rest === '') throw new BadRequestError(`cannot parse ${param} ${JSON.stringify(raw)}: expected a duration like 250ms, 1.5s or 2h45m`);
  while (rest.length > 0) {
    const m = GO_DURATION.exec(rest);
    if (!m) throw new BadRequestError(`cannot parse ${param} ${JSON.stringify(raw)}: expected a duration like 250ms, 1.5s or 2h45m`);
    total += Number(m[1]) * (UNIT_US[m[2] as string] ?? 0);
    rest = rest.slice(m[0].length);
  }
  return sign * Math.round(total);
}

function integer(raw: string, param: string): number {
  if (!/^-?\d+$/.test(raw)) throw new BadRequestError(`cannot parse ${param} ${JSON.stringify(raw)}: expected an integer`);
  return Number(raw);
}

function limit(raw: string | null, param: string, fallback: number): number {
  if (raw === null || raw === '') return fallback;
  const n = integer(raw, param);
  if (n < 0) throw new BadRequestError(`${param} must not be negative`);
  return n === 0 ? fallback : Math.min(n, MAX_TRACES_PER_SEARCH);
}

const SPAN_KINDS: Record<string, number> = {
  unspecified: SpanKind.UNSPECIFIED,
  internal: SpanKind.INTERNAL,
  server: SpanKind.SERVER,
  client: SpanKind.CLIENT,
  producer: SpanKind.PRODUCER,
  consumer: SpanKind.CONSUMER,
};

export function parseSpanKind(raw: string | null, param: string): number | undefined {
  if (raw === null || raw === '') return undefined;
  const kind = SPAN_KINDS[raw.toLowerCase()];
  if (kind === undefined) {
    throw new BadRequestError(`unsupported ${param} ${JSON.stringify(raw)}: expected one of ${Object.keys(SPAN_KINDS).join(', ')}`);
  }
  return kind;
}

function tagsFromJson(raw: string, param: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new BadRequestError(`malformed ${param} parameter: expected a JSON object of strings, like {"http.status_code":"500"}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new BadRequestError(`malformed ${param} parameter: expected a JSON object of strings`);
  }
  const tags: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (typeof value === 'string') tags[key] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') tags[key] = String(value);
    else throw new BadRequestError(`malformed ${param} parameter: the value of ${JSON.stringify(key)} must be a string`);
  }
  return tags;
}

export interface V1TraceSearch {
  /** Set when the request names traces (`traceID=`) instead of searching. */
  traceIds?: string[];
  query: TraceQuery;
}

/**
 * GET /api/traces parameters, as Jaeger's v1 query service reads them:
 * `service` (required unless `traceID` is given), `operation`, `tags` (JSON)
 * and `tag=key:value`, `start`/`end` (microseconds), `lookback` (a Go
 * duration, used when `start` is absent), `minDuration`/`maxDuration` (Go
 * durations), `limit`.
 */
export function parseV1TraceSearch(params: URLSearchParams, nowUs: number): V1TraceSearch {
  const traceIds = params.getAll('traceID').filter((id) => id !== '');
  const service = params.get('service') ?? '';
  if (service === '' && traceIds.length === 0) throw new BadRequestError("parameter 'service' is required");

  const tags: Record<string, string> = {};
  for (const raw of params.getAll('tags')) Object.assign(tags, tagsFromJson(raw, 'tags'));
  for (const raw of params.getAll('tag')) {
    const colon = raw.indexOf(':');
    if (colon <= 0) throw new BadRequestError(`malformed 'tag' parameter ${JSON.stringify(raw)}: expected key:value`);
    tags[raw.slice(0, colon)] = raw.slice(colon + 1);
  }

  const end = params.get('end');
  const endUs = end ? integer(end, 'end') : nowUs;
  const start = params.get('start');
  const lookback = params.get('lookback');
  let startUs: number | undefined;
  if (start) startUs = integer(start, 'start');
  else if (lookback && lookback !== 'custom') startUs = endUs - parseGoDuration(lookback, 'lookback');
  if (startUs !== undefined && startUs > endUs) throw new BadRequestError('start must not be after end');

  const minDuration = params.get('minDuration');
  const maxDuration = params.get('maxDuration');
  const query: TraceQuery = {
    tags,
    startMinUs: startUs,
    startMaxUs: endUs,
    durationMinUs: minDuration ? parseGoDuration(minDuration, 'minDuration') : undefined,
    durationMaxUs: maxDuration ? parseGoDuration(maxDuration, 'maxDuration') : undefined,
    limit: limit(params.get('limit'), 'limit', DEFAULT_V1_LIMIT),
  };
  if (service) query.service = service;
  const operation = params.get('operation');
  if (operation) query.operation = operation;
  if (query.durationMinUs !== undefined && query.durationMaxUs !== undefined && query.durationMinUs > query.durationMaxUs) {
    throw new BadRequestError('minDuration must not be greater than maxDuration');
  }
  return traceIds.length > 0 ? { traceIds: traceIds.map(parseTraceId), query } : { query };
}

/** An RFC 3339 timestamp in microseconds since the epoch. */
export function parseRfc3339(raw: string, param: string): number {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/i.exec(raw);
  const ms = m ? Date.parse(`${m[1]}${m[3]}`) : NaN;
  if (!m || Number.isNaN(ms)) {
    throw new BadRequestError(`cannot parse ${param} ${JSON.stringify(raw)}: expected an RFC 3339 time like 2024-01-31T12:00:00Z`);
  }
  const fraction = (m[2] ?? '').padEnd(6, '0').slice(0, 6);
  return ms * 1000 + Number(fraction);
}

/**
 * api_v3 trace search parameters (`query.*`): service_name, operation_name,
 * attributes (JSON object), start_time_min/max (RFC 3339), duration_min/max
 * (Go durations), search_depth (or num_traces).
 */
export function parseV3TraceQuery(params: URLSearchParams, nowUs: number): TraceQuery {
  const get = (name: string) => params.get(`query.${name}`);
  const service = get('service_name');
  if (!service) throw new BadRequestError("parameter 'query.service_name' is required");
  const startMin = get('start_time_min');
  const startMax = get('start_time_max');
  const durationMin = get('duration_min');
  const durationMax = get('duration_max');
  const attributes = get('attributes');
  const query: TraceQuery = {
    service,
    tags: attributes ? tagsFromJson(attributes, 'query.attributes') : {},
    startMinUs: startMin ? parseRfc3339(startMin, 'query.start_time_min') : undefined,
    startMaxUs: startMax ? parseRfc3339(startMax, 'query.start_time_max') : nowUs,
    durationMinUs: durationMin ? parseGoDuration(durationMin, 'query.duration_min') : undefined,
    durationMaxUs: durationMax ? parseGoDuration(durationMax, 'query.duration_max') : undefined,
    limit: limit(get('search_depth') ?? get('num_traces'), 'query.search_depth', DEFAULT_V3_LIMIT),
  };
  const operation = get('operation_name');
  if (operation) query.operation = operation;
  return query;
}
