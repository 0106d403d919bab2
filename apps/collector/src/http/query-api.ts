import type { IncomingMessage, ServerResponse } from 'node:http';
import { adjustTrace } from '../jaeger/adjust.js';
import { toJaegerLogRecord } from '../jaeger/logs-model.js';
import { spanKindName, spansOfRequest, toJaegerTraces, type SpanInContext } from '../jaeger/v1-model.js';
import { summarize, toTracesData } from '../jaeger/v3-model.js';
import { decodeJsonTraces } from '../otlp/decode-json.js';
import { MalformedRequestError } from '../otlp/model.js';
import {
  BadRequestError,
  parseSpanKind,
  parseTraceId,
  parseV1TraceSearch,
  parseV3TraceQuery,
} from '../query/params.js';
import type { StoredTrace, TraceStore } from '../store/store.js';
import type { TailSamplingStats } from '../store/tail-sampler.js';
import { HttpError, readBody } from './body.js';
import type { Log } from '../log.js';

export interface QueryApiOptions {
  store: TraceStore;
  /** Current time in microseconds since the epoch; injected so tests control "now". */
  nowUs: () => number;
  maxBodyBytes: number;
  log: Log;
  /** The tail sampler's counters, or `{ enabled: false }` when it is off. */
  tailSampling: () => TailSamplingStats | { enabled: false };
}

type Api = 'v1' | 'v3';

/** Jaeger's default window for /api/dependencies when `lookback` is absent: 24 hours, in milliseconds. */
const DEFAULT_DEPENDENCY_LOOKBACK_MS = 24 * 3600 * 1000;

/**
 * Jaeger's query HTTP API, v1 (what Jaeger UI uses; `{data,total,limit,
 * offset,errors}` envelope, timestamps in microseconds) and api_v3 (OTLP
 * JSON, RFC 3339 times), read from the embedded store.
 */
export function createQueryApi(options: QueryApiOptions) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const api: Api = url.pathname.startsWith('/api/v3/') ? 'v3' : 'v1';
    route(req, url, options)
      .then((body) => sendJson(res, 200, body))
      .catch((e: unknown) => {
        if (e instanceof HttpError) return sendError(res, api, e.status, e.message, e.headers);
        if (e instanceof BadRequestError || e instanceof MalformedRequestError) return sendError(res, api, 400, e.message);
        options.log.error('query failed', { path: url.pathname, error: String(e) });
        return sendError(res, api, 500, 'internal error');
      });
  };
}

/** A path segment, %-escapes decoded; a broken escape (`%zz`) is the caller's mistake, a 400. */
function pathSegment(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new BadRequestError(`malformed %-escape in the path segment ${JSON.stringify(raw)}`);
  }
}

async function route(req: IncomingMessage, url: URL, o: QueryApiOptions): Promise<unknown> {
  const path = url.pathname.replace(/\/+$/, '') || '/';
  const params = url.searchParams;
  const segments = path.split('/').map(pathSegment);

  if (path === '/api/transform') {
    if (req.method !== 'POST') throw methodNotAllowed('POST');
    const body = await readBody(req, o.maxBodyBytes);
    return v1Envelope(toJaegerTraces(spansOfRequest(decodeJsonTraces(body.toString('utf8')))));
  }
  req.resume();
  if (req.method !== 'GET' && req.method !== 'HEAD') throw methodNotAllowed('GET');

  const store = o.store;
  if (path === '/health') return { status: 'ok' };
  // Ours, outside Jaeger's API: a plain object like /health, no envelope.
  if (path === '/api/tail-sampling') return o.tailSampling();

  // ---- v1 ----
  if (path === '/api/services') {
    const services = store.services();
    return v1Envelope(services, services.length);
  }
  if (segments.length === 5 && segments[1] === 'api' && segments[2] === 'services' && segments[4] === 'operations') {
    const names = [...new Set(store.operations(segments[3] ?? '').map((op) => op.name))];
    return v1Envelope(names, names.length);
  }
  if (path === '/api/operations') {
    const service = params.get('service');
    if (!service) throw new BadRequestError("parameter 'service' is required");
    const kind = parseSpanKind(params.get('spanKind'), 'spanKind');
    const ops = store
      .operations(service)
      .filter((op) => kind === undefined || op.kind === kind)
      .map((op) => ({ name: op.name, spanKind: spanKindName(op.kind) }));
    return v1Envelope(ops, ops.length);
  }
  if (path === '/api/traces') {
    const search = parseV1TraceSearch(params, o.nowUs());
    const ids = search.traceIds ?? store.findTraceIds(search.query);
    return v1Envelope(loadTraces(store, ids).map((t) => adjustTrace(jaegerTrace(t))));
  }
  if (segments.length === 4 && segments[1] === 'api' && segments[2] === 'traces') {
    const trace = store.getTrace(parseTraceId(segments[3] ?? ''));
    if (!trace) throw new HttpError(404, 'trace not found');
    return v1Envelope([adjustTrace(jaegerTrace(trace))]);
  }
  // Our extension: a trace's log records. A trace can have logs and no
  // spans (sampled out, or not exported yet), so no logs is 200 [], not 404.
  if (segments.length === 5 && segments[1] === 'api' && segments[2] === 'traces' && segments[4] === 'logs') {
    const logs = store.traceLogs(parseTraceId(segments[3] ?? '')).map(toJaegerLogRecord);
    return v1Envelope(logs, logs.length);
  }
  if (path === '/api/dependencies') {
    const endMs = params.get('endTs') ? integerParam(params.get('endTs') ?? '', 'endTs') : Math.floor(o.nowUs() / 1000);
    const lookbackMs = params.get('lookback') ? integerParam(params.get('lookback') ?? '', 'lookback') : DEFAULT_DEPENDENCY_LOOKBACK_MS;
    return v1Envelope(store.dependencies((endMs - lookbackMs) * 1000, endMs * 1000));
  }

  // ---- api_v3 ----
  if (path === '/api/v3/services') return { services: store.services() };
  if (path === '/api/v3/operations') {
    const service = params.get('service');
    if (!service) throw new BadRequestError("parameter 'service' is required");
    const kind = parseSpanKind(params.get('span_kind'), 'span_kind');
    const operations = store
      .operations(service)
      .filter((op) => kind === undefined || op.kind === kind)
      .map((op) => ({ name: op.name, spanKind: spanKindName(op.kind) }));
    return { operations };
  }
  if (segments.length === 5 && segments[1] === 'api' && segments[2] === 'v3' && segments[3] === 'traces') {
    const trace = store.getTrace(parseTraceId(segments[4] ?? ''));
    if (!trace) throw new HttpError(404, 'trace not found');
    return { result: toTracesData([trace]) };
  }
  if (path === '/api/v3/traces') {
    return { result: toTracesData(loadTraces(store, store.findTraceIds(parseV3TraceQuery(params, o.nowUs())))) };
  }
  if (path === '/api/v3/trace-summaries') {
    return { summaries: loadTraces(store, store.findTraceIds(parseV3TraceQuery(params, o.nowUs()))).map(summarize) };
  }
  throw new HttpError(404, `no such endpoint ${JSON.stringify(path)}`);
}

function methodNotAllowed(allowed: string): HttpError {
  return new HttpError(405, `method not allowed: use ${allowed}`, { Allow: allowed });
}

function integerParam(raw: string, name: string): number {
  if (!/^\d+$/.test(raw)) throw new BadRequestError(`cannot parse ${name} ${JSON.stringify(raw)}: expected milliseconds`);
  return Number(raw);
}

function loadTraces(store: TraceStore, ids: readonly string[]): StoredTrace[] {
  return ids.map((id) => store.getTrace(id)).filter((t): t is StoredTrace => t !== undefined);
}

function jaegerTrace(trace: StoredTrace) {
  const spans: SpanInContext[] = trace.spans.map((s) => ({
    resource: trace.resources.get(s.resourceId)?.resource ?? { attributes: [], droppedAttributesCount: 0 },
    scope: s.scope.scope,
    span: s.span,
  }));
  const [converted] = toJaegerTraces(spans);
  if (!converted) throw new Error(`trace ${trace.traceId} has no spans`);
  return converted;
}

/** Jaeger's v1 envelope; `total` is only set for lists of names (as Jaeger does) and of log records. */
function v1Envelope(data: unknown, total = 0) {
  return { data, total, limit: 0, offset: 0, errors: null };
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function sendError(res: ServerResponse, api: Api, status: number, message: string, headers: Record<string, string> = {}): void {
  const body =
    api === 'v3'
      ? { error: { httpCode: status, message } }
      : { data: null, total: 0, limit: 0, offset: 0, errors: [{ code: status, msg: message }] };
  sendJson(res, status, body, headers);
}
