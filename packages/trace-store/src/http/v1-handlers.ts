import { toJaegerLogRecord } from '../jaeger/logs-model.js';
import { jaegerTraceIdString, type JaegerTrace } from '../jaeger/v1-model.js';
import { decodeJsonTraces } from '../otlp/decode-json.js';
import { MalformedRequestError } from '../otlp/model.js';
import { parseHexTraceId } from '../query/trace-id.js';
import {
  BadRequestError,
  parseV1Dependencies,
  parseV1Get,
  parseV1Operations,
  parseV1Search,
  wantsPrettyPrint,
} from '../query/v1-params.js';
import { HttpError, readBody } from './body.js';
import type { Reply, Route, RouteContext } from './query-api.js';

/**
 * Jaeger's v1 query API (cmd/query/app/http_handler.go), one handler per
 * endpoint: parse, query, convert, then the reply in Jaeger's
 * `{data,total,limit,offset,errors}` envelope (`total` set only where Jaeger
 * sets it). Every answer honours `prettyPrint`.
 */

interface V1Error {
  code?: number;
  msg: string;
  traceID?: string;
}

function envelope(ctx: RouteContext, data: unknown, total = 0, errors: V1Error[] | null = null): Reply {
  return { body: { data, total, limit: 0, offset: 0, errors }, pretty: wantsPrettyPrint(ctx.params) };
}

/**
 * A path segment as Go's url.QueryUnescape reads it ('+' is a space). One
 * that does not decode is a 400; Jaeger reads it as no service at all (see
 * "Differences from Jaeger").
 */
function queryUnescape(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    throw new BadRequestError(`malformed %-escape in the path segment ${JSON.stringify(raw)}`);
  }
}

const services = (ctx: RouteContext): Reply => {
  const names = ctx.service.services();
  return envelope(ctx, names.length > 0 ? names : null, names.length);
};

/** The older operations endpoint: distinct names of every kind (null when none, as Jaeger's nil slice). */
const operationsLegacy = (ctx: RouteContext): Reply => {
  const names = [...new Set(ctx.service.operations(queryUnescape(ctx.segments[3] ?? ''), '').map((op) => op.name))];
  return envelope(ctx, names.length > 0 ? names : null, names.length);
};

const operations = (ctx: RouteContext): Reply => {
  const { service, spanKind } = parseV1Operations(ctx.params);
  const ops = ctx.service.operations(service, spanKind);
  return envelope(ctx, ops, ops.length);
};

/**
 * Search, or (with `traceID=`) traces by id: each id not found is listed in
 * `errors` as `{ msg: "trace not found", traceID }`, the id written as Jaeger
 * writes ids (16 hex digits when its high half is zero).
 */
const traces = (ctx: RouteContext): Reply => {
  const { traceIds, query, raw } = parseV1Search(ctx.params, ctx.nowNs);
  if (traceIds.length === 0) return envelope(ctx, ctx.service.v1Search(query, raw));
  const found: JaegerTrace[] = [];
  const errors: V1Error[] = [];
  for (const id of traceIds) {
    const trace = ctx.service.v1Trace(id, raw);
    if (trace) found.push(trace);
    else errors.push({ msg: 'trace not found', traceID: jaegerTraceIdString(id) });
  }
  return envelope(ctx, found, 0, errors.length > 0 ? errors : null);
};

const trace = (ctx: RouteContext): Reply => {
  const { traceId, raw } = parseV1Get(ctx.segments[3] ?? '', ctx.params, ctx.nowNs);
  const found = ctx.service.v1Trace(traceId, raw);
  if (!found) throw new HttpError(404, 'trace not found');
  return envelope(ctx, [found]);
};

/**
 * Ours, not Jaeger's: a trace's log records, oldest first. A trace can have
 * logs and no spans (sampled out, or not exported yet), so no logs is 200 [],
 * not 404.
 */
const traceLogs = (ctx: RouteContext): Reply => {
  let traceId: string;
  try {
    traceId = parseHexTraceId(ctx.segments[3] ?? '');
  } catch (e) {
    throw new BadRequestError((e as Error).message);
  }
  const logs = ctx.service.traceLogs(traceId).map(toJaegerLogRecord);
  return envelope(ctx, logs, logs.length);
};

const dependencies = (ctx: RouteContext): Reply => {
  const { startNs, endNs, service } = parseV1Dependencies(ctx.params, ctx.nowNs);
  return envelope(ctx, ctx.service.dependencies(startNs, endNs, service));
};

/** OTLP/JSON in, Jaeger's v1 JSON out, nothing stored and nothing adjusted. */
const transform = async (ctx: RouteContext): Promise<Reply> => {
  const body = await readBody(ctx.req, ctx.maxBodyBytes);
  try {
    return envelope(ctx, ctx.service.transform(decodeJsonTraces(body.toString('utf8'))));
  } catch (e) {
    if (e instanceof MalformedRequestError) throw new BadRequestError(`cannot unmarshal OTLP : ${e.message}`);
    throw e;
  }
};

export const V1_ROUTES: Route[] = [
  { method: 'GET', path: '/api/services', errors: 'v1', handle: services },
  { method: 'GET', path: '/api/services/*/operations', errors: 'v1', handle: operationsLegacy },
  { method: 'GET', path: '/api/operations', errors: 'v1', handle: operations },
  { method: 'GET', path: '/api/traces', errors: 'v1', handle: traces },
  { method: 'GET', path: '/api/traces/*', errors: 'v1', handle: trace },
  { method: 'GET', path: '/api/traces/*/logs', errors: 'v1', handle: traceLogs },
  { method: 'GET', path: '/api/dependencies', errors: 'v1', handle: dependencies },
  { method: 'POST', path: '/api/transform', errors: 'v1', handle: transform },
];
