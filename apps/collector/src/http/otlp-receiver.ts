import type { IncomingMessage, ServerResponse } from 'node:http';
import { decodeJsonTraces } from '../otlp/decode-json.js';
import { decodeProtobufTraces } from '../otlp/decode-protobuf.js';
import { MalformedRequestError, spanCount, type ResourceSpans } from '../otlp/model.js';
import { ExportTraceServiceResponse, RpcStatus } from '../otlp/proto.js';
import { validateTraces } from '../otlp/validate.js';
import { QueueFullError, type WriteQueue } from '../store/write-queue.js';
import { HttpError, readBody } from './body.js';
import { originAllowed } from './cors.js';
import type { Log } from '../log.js';

export interface OtlpReceiverOptions {
  queue: WriteQueue;
  maxBodyBytes: number;
  corsOrigins: readonly string[];
  log: Log;
}

type Encoding = 'protobuf' | 'json';

const TRACES_PATH = '/v1/traces';
/** How long a refused sender should wait before retrying, in seconds. */
const RETRY_AFTER_SECONDS = '1';

/** gRPC status codes for the google.rpc.Status error body, by HTTP status. */
const GRPC_CODE: Record<number, number> = { 400: 3, 404: 5, 405: 12, 413: 8, 415: 3, 429: 14, 500: 13, 503: 14 };

/**
 * The OTLP/HTTP receiver (OTLP spec, "OTLP/HTTP"): `POST /v1/traces` in
 * binary protobuf or JSON, optionally gzip-compressed. Answers in the
 * request's encoding; errors carry a google.rpc.Status. A 200 is sent only
 * after the spans are committed to the store.
 */
export function createOtlpReceiver(options: OtlpReceiverOptions) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res, options).catch((e: unknown) => {
      options.log.error('otlp request failed', { error: String(e) });
      if (!res.headersSent) sendStatus(res, 'json', 500, 'internal error');
    });
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, options: OtlpReceiverOptions): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  const origin = req.headers.origin;
  if (origin && originAllowed(origin, options.corsOrigins)) {
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Vary', 'Origin');
  }

  if (path === '/health' && (req.method === 'GET' || req.method === 'HEAD')) {
    res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"status":"ok"}');
    return;
  }
  if (path !== TRACES_PATH) {
    req.resume();
    sendStatus(res, 'json', 404, `no such endpoint ${JSON.stringify(path)}: OTLP traces go to POST ${TRACES_PATH}`);
    return;
  }
  if (req.method === 'OPTIONS') {
    preflight(req, res, options.corsOrigins);
    return;
  }
  if (req.method !== 'POST') {
    req.resume();
    sendStatus(res, 'json', 405, `method ${req.method} is not allowed on ${TRACES_PATH}: use POST`, { Allow: 'POST, OPTIONS' });
    return;
  }

  const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  const encoding: Encoding | undefined =
    contentType === 'application/x-protobuf' ? 'protobuf' : contentType === 'application/json' ? 'json' : undefined;
  if (!encoding) {
    req.resume();
    sendStatus(
      res,
      'json',
      415,
      `unsupported Content-Type ${JSON.stringify(contentType ?? '')}: use application/x-protobuf or application/json`,
    );
    return;
  }

  try {
    const body = await readBody(req, options.maxBodyBytes);
    const decoded: ResourceSpans[] =
      encoding === 'protobuf' ? decodeProtobufTraces(body) : decodeJsonTraces(body.toString('utf8'));
    const { resourceSpans, rejectedSpans, rejectReasons } = validateTraces(decoded);
    const accepted = spanCount(resourceSpans);
    if (accepted > 0) await options.queue.write(resourceSpans, accepted);
    const partialSuccess =
      rejectedSpans > 0 ? { rejectedSpans, errorMessage: `rejected ${rejectedSpans} of ${accepted + rejectedSpans} spans: ${rejectReasons.join('; ')}` } : undefined;
    sendExportResponse(res, encoding, partialSuccess);
  } catch (e) {
    if (e instanceof HttpError) {
      sendStatus(res, encoding, e.status, e.message, e.headers);
    } else if (e instanceof MalformedRequestError) {
      sendStatus(res, encoding, 400, e.message);
    } else if (e instanceof QueueFullError) {
      sendStatus(res, encoding, 503, `${e.message}; retry later`, { 'Retry-After': RETRY_AFTER_SECONDS });
    } else {
      // The store could not commit (disk full, locked database, ...): nothing
      // was acknowledged, so the sender may retry.
      options.log.error('could not store spans', { error: String(e) });
      sendStatus(res, encoding, 503, `could not store spans: ${(e as Error).message}`, { 'Retry-After': RETRY_AFTER_SECONDS });
    }
  }
}

function preflight(req: IncomingMessage, res: ServerResponse, corsOrigins: readonly string[]): void {
  const origin = req.headers.origin;
  if (!origin || !originAllowed(origin, corsOrigins)) {
    sendStatus(res, 'json', 403, `origin ${JSON.stringify(origin ?? '')} is not allowed (see --cors-origins)`);
    return;
  }
  res.writeHead(204, {
    'Access-Control-Allow-Methods': 'POST, OPTIONS',
    'Access-Control-Allow-Headers': req.headers['access-control-request-headers'] ?? 'Content-Type, Content-Encoding',
    'Access-Control-Max-Age': '7200',
  });
  res.end();
}

function sendExportResponse(
  res: ServerResponse,
  encoding: Encoding,
  partialSuccess: { rejectedSpans: number; errorMessage: string } | undefined,
): void {
  if (encoding === 'protobuf') {
    const body = ExportTraceServiceResponse.encode(ExportTraceServiceResponse.fromObject(partialSuccess ? { partialSuccess } : {})).finish();
    res.writeHead(200, { 'Content-Type': 'application/x-protobuf' }).end(body);
    return;
  }
  const json = partialSuccess
    ? { partialSuccess: { rejectedSpans: String(partialSuccess.rejectedSpans), errorMessage: partialSuccess.errorMessage } }
    : {};
  res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(json));
}

function sendStatus(
  res: ServerResponse,
  encoding: Encoding,
  status: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  const code = GRPC_CODE[status] ?? 2;
  if (encoding === 'protobuf') {
    const body = RpcStatus.encode(RpcStatus.fromObject({ code, message })).finish();
    res.writeHead(status, { ...headers, 'Content-Type': 'application/x-protobuf' }).end(body);
  } else {
    res.writeHead(status, { ...headers, 'Content-Type': 'application/json' }).end(JSON.stringify({ code, message }));
  }
}
