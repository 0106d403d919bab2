import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Log } from '../log.js';
import { MalformedRequestError } from '../otlp/model.js';
import type { QueryService } from '../query/service.js';
import { BadRequestError, StorageError } from '../query/v1-params.js';
import type { TailSamplingStats } from '../store/tail-sampler.js';
import { HttpError } from './body.js';
import { METRICS_ROUTES } from './metrics-handlers.js';
import { V1_ROUTES } from './v1-handlers.js';
import { V3_ROUTES } from './v3-handlers.js';

export interface QueryApiOptions {
  service: QueryService;
  /** Current time in microseconds since the epoch; injected so tests control "now". */
  nowUs: () => number;
  maxBodyBytes: number;
  log: Log;
  /** The tail sampler's counters, or `{ enabled: false }` when it is off. */
  tailSampling: () => TailSamplingStats | { enabled: false };
}

/** What a handler gets: the request, its parsed URL and path segments, and the query service. */
export interface RouteContext {
  req: IncomingMessage;
  url: URL;
  params: URLSearchParams;
  /** Path segments as sent (still %-encoded), e.g. ['', 'api', 'traces', '4bf9...']. */
  segments: string[];
  service: QueryService;
  nowNs: bigint;
  maxBodyBytes: number;
  tailSampling: QueryApiOptions['tailSampling'];
}

/** A successful answer: the JSON body, and how to write it. */
export interface Reply {
  body: unknown;
  /** Indent as Go's MarshalIndent with four spaces does (v1 `prettyPrint`). */
  pretty?: boolean;
  /**
   * Jaeger's api_v3 answers carry no Content-Type of their own, so Go sniffs
   * one: text/plain. Default application/json.
   */
  contentType?: string;
}

/** Which error body a route answers with: Jaeger's v1 envelope, api_v3's gateway error, or our plain one. */
export type ErrorStyle = 'v1' | 'v3' | 'plain';

export interface Route {
  method: 'GET' | 'POST';
  /** The path, with `*` for one path segment. */
  path: string;
  errors: ErrorStyle;
  handle(ctx: RouteContext): Reply | Promise<Reply>;
}

/** Ours, outside Jaeger's API: plain objects, no envelope. */
const OWN_ROUTES: Route[] = [
  { method: 'GET', path: '/health', errors: 'plain', handle: () => ({ body: { status: 'ok' } }) },
  { method: 'GET', path: '/api/tail-sampling', errors: 'plain', handle: (ctx) => ({ body: ctx.tailSampling() }) },
];

/** The route table: Jaeger's v1, metrics and api_v3 endpoints (one handler each, see the *-handlers.ts files) and ours. */
const ROUTES: readonly Route[] = [...OWN_ROUTES, ...V1_ROUTES, ...METRICS_ROUTES, ...V3_ROUTES];

function matches(route: Route, segments: readonly string[]): boolean {
  const pattern = route.path.split('/');
  return pattern.length === segments.length && pattern.every((p, i) => p === '*' || p === segments[i]);
}

/**
 * Jaeger's query HTTP API, v1 (what Jaeger UI uses; `{data,total,limit,
 * offset,errors}` envelope, timestamps in microseconds) and api_v3 (OTLP
 * JSON, RFC 3339 times), read through the query service. Each request is
 * matched against the route table and its handler parses, queries, converts;
 * writing answers and errors is done here, the way Jaeger writes them.
 */
export function createQueryApi(options: QueryApiOptions) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const segments = path.split('/');
    const candidates = ROUTES.filter((r) => matches(r, segments));
    const method = req.method === 'HEAD' ? 'GET' : req.method;
    const route = candidates.find((r) => r.method === method);
    const errors: ErrorStyle = route?.errors ?? candidates[0]?.errors ?? (path.startsWith('/api/v3/') ? 'v3' : 'v1');
    if (!route) {
      req.resume();
      if (candidates.length > 0) {
        const allowed = [...new Set(candidates.map((r) => r.method))].join(', ');
        sendError(res, errors, 405, `method not allowed: use ${allowed}`, { Allow: allowed });
      } else sendError(res, errors, 404, `no such endpoint ${JSON.stringify(path)}`);
      return;
    }
    if (route.method === 'GET') req.resume();
    const ctx: RouteContext = {
      req,
      url,
      params: url.searchParams,
      segments,
      service: options.service,
      nowNs: BigInt(options.nowUs()) * 1000n,
      maxBodyBytes: options.maxBodyBytes,
      tailSampling: options.tailSampling,
    };
    Promise.resolve()
      .then(() => route.handle(ctx))
      .then((reply) => sendReply(res, reply))
      .catch((e: unknown) => {
        if (e instanceof HttpError) return sendError(res, errors, e.status, e.message, e.headers);
        if (e instanceof BadRequestError) return sendError(res, errors, 400, e.message);
        if (e instanceof MalformedRequestError) return sendError(res, errors, 400, e.message);
        if (e instanceof StorageError) return sendError(res, errors, 500, e.message);
        options.log.error('query failed', { path: url.pathname, error: String(e) });
        return sendError(res, errors, 500, 'internal error');
      });
  };
}

function sendReply(res: ServerResponse, reply: Reply): void {
  const text = reply.pretty ? JSON.stringify(reply.body, null, 4) : JSON.stringify(reply.body);
  res.writeHead(200, { 'Content-Type': reply.contentType ?? 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * An error the way Jaeger writes one (Go's http.Error): the JSON text and a
 * newline, as text/plain. v1 uses its envelope with one error, api_v3 the
 * gRPC-gateway error object.
 */
function sendError(res: ServerResponse, style: ErrorStyle, status: number, message: string, headers: Record<string, string> = {}): void {
  const body =
    style === 'v3'
      ? { error: { httpCode: status, message } }
      : style === 'v1'
        ? { data: null, total: 0, limit: 0, offset: 0, errors: [{ code: status, msg: message }] }
        : { error: message };
  const text = `${JSON.stringify(body)}\n`;
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'text/plain; charset=utf-8',
    'X-Content-Type-Options': 'nosniff',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}
