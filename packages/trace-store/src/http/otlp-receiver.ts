import type { IncomingMessage, ServerResponse } from 'node:http';
import type protobuf from 'protobufjs';
import { QueueFullError, type Ingest } from '../ingest/ingest.js';
import { MalformedRequestError } from '../otlp/model.js';
import { ExportLogsServiceResponse, ExportTraceServiceResponse, RpcStatus } from '../otlp/proto.js';
import { HttpError, readBody } from './body.js';
import { originAllowed } from './cors.js';
import type { Log } from '../log.js';

export interface OtlpReceiverOptions {
  ingest: Ingest;
  maxBodyBytes: number;
  corsOrigins: readonly string[];
  log: Log;
}

type Encoding = 'protobuf' | 'json';

/**
 * What differs between the OTLP signals the receiver takes: everything else
 * (CORS, methods, content types, body limits, status answers) is shared.
 */
interface Signal {
  name: 'spans' | 'logs';
  /** Plural noun for messages: "spans", "log records". */
  noun: string;
  /** The partialSuccess field counting rejected items (OTLP names it per signal). */
  rejectedField: 'rejectedSpans' | 'rejectedLogRecords';
  responseType: protobuf.Type;
}

const TRACES: Signal = { name: 'spans', noun: 'spans', rejectedField: 'rejectedSpans', responseType: ExportTraceServiceResponse };
const LOGS: Signal = { name: 'logs', noun: 'log records', rejectedField: 'rejectedLogRecords', responseType: ExportLogsServiceResponse };

const SIGNALS = new Map<string, Signal>([
  ['/v1/traces', TRACES],
  ['/v1/logs', LOGS],
]);

/** How long a refused sender should wait before retrying, in seconds. */
const RETRY_AFTER_SECONDS = '1';

/** gRPC status codes for the google.rpc.Status error body, by HTTP status. */
const GRPC_CODE: Record<number, number> = { 400: 3, 404: 5, 405: 12, 413: 8, 415: 3, 429: 14, 500: 13, 503: 14 };

/**
 * The OTLP/HTTP receiver (OTLP spec, "OTLP/HTTP"): `POST /v1/traces` and
 * `POST /v1/logs` in binary protobuf or JSON, optionally gzip-compressed.
 * Answers in the request's encoding; errors carry a google.rpc.Status. A 200
 * is sent only after the spans or log records are committed to the store.
 * Decoding and writing run on the store's threads (ingest/ingest.ts); this
 * thread reads bodies and writes answers.
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
  // Outside a successful export the answers are the OpenTelemetry collector's
  // (Jaeger's receiver) plain-text ones, word for word.
  const signal = path === undefined ? undefined : SIGNALS.get(path);
  if (path === undefined || signal === undefined) {
    req.resume();
    sendText(res, 404, 'text/plain; charset=utf-8', '404 page not found\n');
    return;
  }
  if (req.method === 'OPTIONS') {
    preflight(req, res, options.corsOrigins);
    return;
  }
  if (req.method !== 'POST') {
    req.resume();
    sendText(res, 405, 'text/plain', '405 method not allowed, supported: [POST]', { Allow: 'POST, OPTIONS' });
    return;
  }

  const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  const encoding: Encoding | undefined =
    contentType === 'application/x-protobuf' ? 'protobuf' : contentType === 'application/json' ? 'json' : undefined;
  if (!encoding) {
    req.resume();
    sendText(res, 415, 'text/plain', '415 unsupported media type, supported: [application/json, application/x-protobuf]');
    return;
  }

  try {
    const body = await readBody(req, options.maxBodyBytes);
    // Decoded, validated and committed off this thread; answered once on disk.
    const { accepted, rejected, reasons } = await options.ingest.submit(signal.name, encoding, body);
    const partialSuccess =
      rejected > 0
        ? { rejected, errorMessage: `rejected ${rejected} of ${accepted + rejected} ${signal.noun}: ${reasons.join('; ')}` }
        : undefined;
    sendExportResponse(res, signal, encoding, partialSuccess);
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
      options.log.error(`could not store ${signal.noun}`, { error: String(e) });
      sendStatus(res, encoding, 503, `could not store ${signal.noun}: ${(e as Error).message}`, { 'Retry-After': RETRY_AFTER_SECONDS });
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
  signal: Signal,
  encoding: Encoding,
  partialSuccess: { rejected: number; errorMessage: string } | undefined,
): void {
  // The partialSuccess field is always there, empty when nothing was
  // rejected, as the OpenTelemetry collector answers.
  if (encoding === 'protobuf') {
    const message = partialSuccess
      ? { partialSuccess: { [signal.rejectedField]: partialSuccess.rejected, errorMessage: partialSuccess.errorMessage } }
      : { partialSuccess: {} };
    const body = signal.responseType.encode(signal.responseType.fromObject(message)).finish();
    res.writeHead(200, { 'Content-Type': 'application/x-protobuf' }).end(body);
    return;
  }
  // int64 is a decimal string in OTLP/JSON.
  const json = partialSuccess
    ? { partialSuccess: { [signal.rejectedField]: String(partialSuccess.rejected), errorMessage: partialSuccess.errorMessage } }
    : { partialSuccess: {} };
  res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(json));
}

function sendText(res: ServerResponse, status: number, contentType: string, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...headers, 'Content-Type': contentType }).end(text);
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
