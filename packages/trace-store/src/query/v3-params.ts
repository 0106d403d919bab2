import type { TraceQuery } from '../store/reader.js';
import { GoParseError, parseGoAtoi, parseGoBool, parseGoDuration, parseGoJsonStringMap, parseGoRfc3339 } from './go-parse.js';
import { BadRequestError, checkSearchDepth, nonNegative } from './v1-params.js';
import { parseV3TraceId } from './trace-id.js';

/**
 * The api_v3 query parameters. Jaeger 2.20 reads camelCase names
 * (`query.serviceName`, `startTime`, `spanKind`, ...) and keeps the
 * snake_case ones of earlier versions (`query.service_name`, `start_time`,
 * `span_kind`, and `query.num_traces`) as aliases; the canonical name wins
 * when both are given. Error texts are Jaeger 2.12's, naming the parameter
 * as the request spelled it. Times are RFC 3339 (nanoseconds kept),
 * durations Go durations; everything returned is nanoseconds.
 */

/** Jaeger 2.20's search depth when the request gives none. */
const DEFAULT_SEARCH_DEPTH = 100;

/** The first of these parameters the request gives a non-empty value for, and the name it used. */
function pick(params: URLSearchParams, ...names: string[]): { value: string; name: string } | undefined {
  for (const name of names) {
    const value = params.get(name);
    if (value) return { value, name };
  }
  return undefined;
}

const malformed = (name: string, e: unknown): BadRequestError =>
  new BadRequestError(`malformed parameter ${name}: ${e instanceof Error ? e.message : String(e)}`);

function parseWith<T>(found: { value: string; name: string } | undefined, parse: (raw: string) => T): T | undefined {
  if (!found) return undefined;
  try {
    return parse(found.value);
  } catch (e) {
    if (e instanceof GoParseError) throw malformed(found.name, e);
    throw e;
  }
}

function durationOf(found: { value: string; name: string } | undefined): bigint {
  const ns = parseWith(found, parseGoDuration);
  return found && ns !== undefined ? nonNegative(ns, found.name, found.value) : 0n;
}

export interface V3TraceGet {
  traceId: string;
  raw: boolean;
}

/** GET /api/v3/traces/{trace_id}: hex or base64 id, `startTime`/`endTime` (read, unused), `rawTraces`. */
export function parseV3Get(rawId: string, params: URLSearchParams): V3TraceGet {
  let traceId: string;
  try {
    traceId = parseV3TraceId(rawId);
  } catch (e) {
    throw malformed('trace_id', e);
  }
  parseWith(pick(params, 'startTime', 'start_time'), parseGoRfc3339);
  parseWith(pick(params, 'endTime', 'end_time'), parseGoRfc3339);
  return { traceId, raw: parseWith(pick(params, 'rawTraces', 'raw_traces'), parseGoBool) ?? false };
}

const SNAKE_CASE_SEARCH = ['query.service_name', 'query.operation_name', 'query.start_time_min', 'query.start_time_max', 'query.num_traces', 'query.search_depth', 'query.duration_min', 'query.duration_max', 'query.raw_traces'];

export interface V3TraceSearch {
  query: TraceQuery;
  raw: boolean;
}

/**
 * GET /api/v3/traces and /api/v3/trace-summaries: `query.serviceName`
 * (optional: all services), `query.operationName`, `query.attributes` (a JSON
 * object of strings; Jaeger 2.20), `query.startTimeMin` and
 * `query.startTimeMax` (both required), `query.durationMin`/`Max`,
 * `query.searchDepth` (100 by default, as 2.20), `query.rawTraces`.
 */
export function parseV3Search(params: URLSearchParams): V3TraceSearch {
  const service = pick(params, 'query.serviceName', 'query.service_name')?.value ?? '';
  const operation = pick(params, 'query.operationName', 'query.operation_name')?.value ?? '';
  const min = pick(params, 'query.startTimeMin', 'query.start_time_min');
  const max = pick(params, 'query.startTimeMax', 'query.start_time_max');
  if (!min || !max) {
    // Named as the request spells its parameters: 2.12's words for snake_case, 2.19's for camelCase.
    const camel = [...params.keys()].some((k) => k.startsWith('query.') && !SNAKE_CASE_SEARCH.includes(k));
    const snake = SNAKE_CASE_SEARCH.some((k) => params.has(k));
    throw new BadRequestError(
      camel && !snake ? 'query.startTimeMin and query.startTimeMax are required' : 'query.start_time_min and query.start_time_max are required',
    );
  }
  const startMinNs = parseWith(min, parseGoRfc3339);
  const startMaxNs = parseWith(max, parseGoRfc3339);
  const depthParam = pick(params, 'query.searchDepth', 'query.num_traces', 'query.search_depth');
  const depth = parseWith(depthParam, parseGoAtoi);
  const durationMinNs = durationOf(pick(params, 'query.durationMin', 'query.duration_min'));
  const durationMaxNs = durationOf(pick(params, 'query.durationMax', 'query.duration_max'));
  const raw = parseWith(pick(params, 'query.rawTraces', 'query.raw_traces'), parseGoBool) ?? false;
  const tags = parseWith(pick(params, 'query.attributes'), parseGoJsonStringMap) ?? {};
  const limit = checkSearchDepth(depth ?? DEFAULT_SEARCH_DEPTH, depthParam?.name ?? 'query.searchDepth');
  const query: TraceQuery = { tags, startMinNs, startMaxNs, durationMinNs, durationMaxNs, limit };
  if (service) query.service = service;
  if (operation) query.operation = operation;
  return { query, raw };
}

/** GET /api/v3/operations: `service` ('' lists nothing), `spanKind` (or `span_kind`). */
export function parseV3Operations(params: URLSearchParams): { service: string; spanKind: string } {
  return { service: params.get('service') ?? '', spanKind: pick(params, 'spanKind', 'span_kind')?.value ?? '' };
}
