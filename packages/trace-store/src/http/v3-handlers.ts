import { toTracesData } from '../jaeger/v3-model.js';
import type { ResourceSpans } from '../otlp/model.js';
import { parseV3Get, parseV3Operations, parseV3Search } from '../query/v3-params.js';
import { BadRequestError } from '../query/v1-params.js';
import { HttpError } from './body.js';
import type { Reply, Route, RouteContext } from './query-api.js';

/**
 * Jaeger's api_v3 over HTTP (cmd/query/app/apiv3/http_gateway.go), one
 * handler per endpoint: parse, query, convert. Answers are protobuf JSON as
 * Jaeger's gateway writes them: lists that are empty are left out (`{}`),
 * and, having no Content-Type of their own, they go out as text/plain.
 */

const V3_CONTENT_TYPE = 'text/plain; charset=utf-8';
const reply = (body: unknown): Reply => ({ body, contentType: V3_CONTENT_TYPE });

const services = (ctx: RouteContext): Reply => {
  const names = ctx.service.services();
  return reply(names.length > 0 ? { services: names } : {});
};

const operations = (ctx: RouteContext): Reply => {
  const { service, spanKind } = parseV3Operations(ctx.params);
  // An empty list is still written: Jaeger's is a non-nil slice, unlike its services.
  return reply({ operations: ctx.service.operations(service, spanKind).map((op) => (op.spanKind ? op : { name: op.name })) });
};

/** Traces one after the other in one TracesData; none is a 404, as in Jaeger. */
function traces(found: ResourceSpans[][]): Reply {
  if (found.length === 0) throw new HttpError(404, 'No traces found');
  return reply({ result: toTracesData(found) });
}

const trace = (ctx: RouteContext): Reply => {
  // Decoded: Jaeger 2.20 reads the id with r.PathValue, so %2F in a base64 id is a '/'.
  let raw: string;
  try {
    raw = decodeURIComponent(ctx.segments[4] ?? '');
  } catch {
    throw new BadRequestError(`malformed %-escape in the trace id ${JSON.stringify(ctx.segments[4])}`);
  }
  const { traceId, raw: rawTraces } = parseV3Get(raw, ctx.params);
  return traces(ctx.service.v3Traces([traceId], rawTraces));
};

const search = (ctx: RouteContext): Reply => {
  const { query, raw } = parseV3Search(ctx.params);
  return traces(ctx.service.v3Search(query, raw));
};

/**
 * Jaeger 2.20's trace summaries (2.12 has no such endpoint): one per
 * matching trace, from its adjusted spans, `{ summaries: [] }` when none.
 */
const summaries = (ctx: RouteContext): Reply => {
  const { query } = parseV3Search(ctx.params);
  return reply({ summaries: ctx.service.summaries(query) });
};

export const V3_ROUTES: Route[] = [
  { method: 'GET', path: '/api/v3/services', errors: 'v3', handle: services },
  { method: 'GET', path: '/api/v3/operations', errors: 'v3', handle: operations },
  { method: 'GET', path: '/api/v3/traces', errors: 'v3', handle: search },
  { method: 'GET', path: '/api/v3/traces/*', errors: 'v3', handle: trace },
  { method: 'GET', path: '/api/v3/trace-summaries', errors: 'v3', handle: summaries },
];
