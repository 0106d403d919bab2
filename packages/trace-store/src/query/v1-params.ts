import type { TraceQuery } from '../store/reader.js';
import { GoParseError, parseGoBool, parseGoDuration, parseGoInt, parseGoJsonStringMap } from './go-parse.js';
import { parseHexTraceId } from './trace-id.js';

/**
 * The v1 query parameters, read as Jaeger 2.12's query service reads them
 * (cmd/query/app/query_parser.go): same defaults, same order of checks, same
 * error texts. Times in URLs are microseconds (dependencies: milliseconds);
 * everything returned is nanoseconds.
 */

/** A parameter that cannot be used; answered 400 with this message. */
export class BadRequestError extends Error {
  override readonly name = 'BadRequestError';
}

/** A request the storage refuses; Jaeger answers these 500 with the storage's message. */
export class StorageError extends Error {
  override readonly name = 'StorageError';
}

/** Jaeger's default `limit` for /api/traces. */
const DEFAULT_LIMIT = 100;
/** Jaeger's default window for a search without `start`: two days back from now. */
const DEFAULT_SEARCH_LOOKBACK_NS = 2n * 24n * 3600n * 1_000_000_000n;
/** Jaeger's default `lookback` for /api/dependencies: one day. */
const DEFAULT_DEPENDENCY_LOOKBACK_NS = 24n * 3600n * 1_000_000_000n;
/** The most traces one search may ask for: the bound of Jaeger's memory storage as configured (max_traces). */
export const MAX_SEARCH_DEPTH = 100_000;
/** The most traces the store returns for one search, whatever the limit. */
export const MAX_TRACES_PER_SEARCH = 1000;

const MS_NS = 1_000_000n;
const US_NS = 1000n;

/** Go's r.FormValue: the first value, '' when absent. */
const form = (params: URLSearchParams, name: string) => params.get(name) ?? '';

const paramError = (name: string, e: unknown): BadRequestError =>
  new BadRequestError(`unable to parse param '${name}': ${e instanceof Error ? e.message : String(e)}`);

/** A time given as an integer count of `unitNs` since the epoch, or `fallbackNs` when absent. */
function time(params: URLSearchParams, name: string, unitNs: bigint, fallbackNs: bigint): bigint {
  const raw = form(params, name);
  if (raw === '') return fallbackNs;
  try {
    return parseGoInt(raw, 64) * unitNs;
  } catch (e) {
    throw paramError(name, e);
  }
}

function duration(params: URLSearchParams, name: string, parse: (raw: string) => bigint, fallbackNs: bigint): bigint {
  const raw = form(params, name);
  if (raw === '') return fallbackNs;
  let ns: bigint;
  try {
    ns = parse(raw);
  } catch (e) {
    throw paramError(name, e);
  }
  return nonNegative(ns, name, raw);
}

/**
 * Jaeger takes a negative duration and finds nothing; always a caller's
 * mistake, so the store says so (see "Differences from Jaeger").
 */
export function nonNegative(ns: bigint, name: string, raw: string): bigint {
  if (ns < 0n) throw new BadRequestError(`'${name}' must not be negative, got ${JSON.stringify(raw)}`);
  return ns;
}

/**
 * Jaeger's memory storage refuses a search depth outside 1..max_traces with a
 * 500; a bad parameter is the caller's mistake, so the store answers 400
 * naming it (see "Differences from Jaeger").
 */
export function checkSearchDepth(limit: number, name: string): number {
  if (limit <= 0 || limit > MAX_SEARCH_DEPTH) {
    throw new BadRequestError(`'${name}' must be from 1 to ${MAX_SEARCH_DEPTH}, got ${limit}`);
  }
  return limit;
}

export function parseBoolParam(params: URLSearchParams, name: string): boolean {
  const raw = form(params, name);
  if (raw === '') return false;
  try {
    return parseGoBool(raw);
  } catch (e) {
    throw paramError(name, e);
  }
}

function tagsOf(params: URLSearchParams): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const tag of params.getAll('tag')) {
    const parts = tag.split(':');
    if (parts.length <= 1) throw new BadRequestError(`malformed 'tag' parameter, expecting key:value, received: ${tag}`);
    tags[parts[0] as string] = parts.slice(1).join(':');
  }
  for (const json of params.getAll('tags')) {
    try {
      Object.assign(tags, parseGoJsonStringMap(json));
    } catch (e) {
      if (!(e instanceof GoParseError)) throw e;
      throw new BadRequestError(`malformed 'tags' parameter, cannot unmarshal JSON: ${e.message}`);
    }
  }
  return tags;
}

export interface V1TraceSearch {
  /** Set when the request names traces (`traceID=`) instead of searching: 32 hex digits each. */
  traceIds: string[];
  query: TraceQuery;
  raw: boolean;
}

/**
 * GET /api/traces: `service` (required unless `traceID` is given),
 * `operation`, `tag=key:value` and `tags` (a JSON object of strings),
 * `start`/`end` (microseconds; two days back from now and now by default),
 * `minDuration`/`maxDuration` (Go durations), `limit` (100), `raw`,
 * `traceID` (repeatable). `lookback` is not read: Jaeger UI turns it into
 * `start` itself.
 */
export function parseV1Search(params: URLSearchParams, nowNs: bigint): V1TraceSearch {
  const service = form(params, 'service');
  const operation = form(params, 'operation');
  const startNs = time(params, 'start', US_NS, nowNs - DEFAULT_SEARCH_LOOKBACK_NS);
  const endNs = time(params, 'end', US_NS, nowNs);
  const tags = tagsOf(params);
  let limit = DEFAULT_LIMIT;
  const rawLimit = form(params, 'limit');
  if (rawLimit !== '') {
    try {
      limit = Number(parseGoInt(rawLimit, 32));
    } catch (e) {
      // Jaeger returns this one unwrapped.
      throw new BadRequestError((e as Error).message);
    }
  }
  const durationMinNs = duration(params, 'minDuration', parseGoDuration, 0n);
  const durationMaxNs = duration(params, 'maxDuration', parseGoDuration, 0n);
  const traceIds = params.getAll('traceID').map((id) => {
    try {
      return parseHexTraceId(id);
    } catch (e) {
      throw new BadRequestError(`cannot parse traceID param: ${(e as Error).message}`);
    }
  });
  const raw = parseBoolParam(params, 'raw');
  if (traceIds.length === 0 && service === '') throw new BadRequestError("parameter 'service' is required");
  if (durationMinNs !== 0n && durationMaxNs !== 0n && durationMaxNs < durationMinNs) {
    throw new BadRequestError("'maxDuration' should be greater than 'minDuration'");
  }
  // By-id requests ignore the limit, as Jaeger's do.
  if (traceIds.length === 0) checkSearchDepth(limit, 'limit');
  const query: TraceQuery = { tags, startMinNs: startNs, startMaxNs: endNs, durationMinNs, durationMaxNs, limit };
  if (service) query.service = service;
  if (operation) query.operation = operation;
  return { traceIds, query, raw };
}

export interface V1TraceGet {
  traceId: string;
  raw: boolean;
}

/** GET /api/traces/{traceID}: the id, then `start`, `end` (read, unused: the store finds a trace without them) and `raw`. */
export function parseV1Get(rawId: string, params: URLSearchParams, nowNs: bigint): V1TraceGet {
  let traceId: string;
  try {
    traceId = parseHexTraceId(rawId);
  } catch (e) {
    throw new BadRequestError((e as Error).message);
  }
  time(params, 'start', US_NS, nowNs);
  time(params, 'end', US_NS, nowNs);
  return { traceId, raw: parseBoolParam(params, 'raw') };
}

export interface V1Dependencies {
  startNs: bigint;
  endNs: bigint;
  /** Links touching this service only, when set. */
  service: string;
}

/** GET /api/dependencies: `endTs` (milliseconds, now by default), `lookback` (milliseconds, a day by default), `service`. */
export function parseV1Dependencies(params: URLSearchParams, nowNs: bigint): V1Dependencies {
  const endNs = time(params, 'endTs', MS_NS, nowNs);
  const lookbackNs = duration(params, 'lookback', (raw) => parseGoInt(raw, 64) * MS_NS, DEFAULT_DEPENDENCY_LOOKBACK_NS);
  const startNs = endNs - lookbackNs;
  // Jaeger's memory storage refuses an inverted window.
  if (endNs < startNs) throw new StorageError('end time must be greater than start time');
  return { startNs, endNs, service: form(params, 'service') };
}

/** GET /api/operations: `service` (required), `spanKind` (an exact kind name; '' or absent for all). */
export function parseV1Operations(params: URLSearchParams): { service: string; spanKind: string } {
  const service = form(params, 'service');
  if (service === '') throw new BadRequestError("parameter 'service' is required");
  return { service, spanKind: form(params, 'spanKind') };
}

/** Jaeger's `prettyPrint`: any value but '' and 'false' indents the answer. */
export const wantsPrettyPrint = (params: URLSearchParams): boolean => {
  const v = form(params, 'prettyPrint');
  return v !== '' && v !== 'false';
};
