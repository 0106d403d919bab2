import 'server-only';
import { context, propagation } from '@opentelemetry/api';
import type { WebEnv } from '@/env';

/** What went wrong talking to the data-processor; `errorType` is a low-cardinality `error.type`. */
export class DataProcessorError extends Error {
  override readonly name = 'DataProcessorError';

  constructor(
    message: string,
    readonly errorType: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

type DataProcessorSettings = Pick<WebEnv, 'dataProcessorUrl' | 'dataProcessorTimeoutMs'>;

/** Longest error detail copied from a data-processor answer into our own message. */
const MAX_DETAIL_CHARS = 200;

/**
 * `GET {dataProcessorUrl}/data/{name}` and its JSON answer. Throws a
 * `DataProcessorError` for a non-2xx answer, an unreachable service, a
 * timeout (which covers reading the body too) or a body that is not JSON.
 *
 * Called inside the caller's active span: the fetch instrumentation parents
 * its client span there and injects `traceparent` from it.
 */
export async function fetchProcessedData(settings: DataProcessorSettings, name: string): Promise<unknown> {
  return fetchDataProcessorJson(settings, `/data/${encodeURIComponent(name)}`);
}

export interface DataProcessorCallOptions {
  /** Deadline in milliseconds, body included; default `settings.dataProcessorTimeoutMs`. A timeout throws errorType `timeout`. */
  readonly timeoutMs?: number;
}

/**
 * `GET {dataProcessorUrl}{path}` (path starting with `/`, already encoded)
 * and its JSON answer; fails like `fetchProcessedData`. Same tracing caveat:
 * call it inside the span that should parent the fetch client span.
 */
export async function fetchDataProcessorJson(
  settings: DataProcessorSettings,
  path: string,
  options: DataProcessorCallOptions = {},
): Promise<unknown> {
  const url = `${settings.dataProcessorUrl}${path}`;
  const timeoutMs = options.timeoutMs ?? settings.dataProcessorTimeoutMs;
  const signal = AbortSignal.timeout(timeoutMs);
  const failure = (error: unknown): DataProcessorError =>
    isTimeout(error)
      ? new DataProcessorError(`data-processor did not answer within ${timeoutMs} ms`, 'timeout', { cause: error })
      : new DataProcessorError(`data-processor unreachable at ${settings.dataProcessorUrl}: ${describe(error)}`, networkErrorType(error), {
          cause: error,
        });

  let response: Response;
  try {
    response = await fetch(url, { headers: traceHeaders({ accept: 'application/json' }), cache: 'no-store', signal });
  } catch (error) {
    throw failure(error);
  }

  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw failure(error);
  }

  if (!response.ok) {
    const detail = errorDetail(text);
    throw new DataProcessorError(
      `data-processor answered ${response.status}${detail ? `: ${detail}` : ''}`,
      String(response.status),
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new DataProcessorError('data-processor answered a body that is not JSON', 'invalid_response', { cause: error });
  }
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && error.name === 'TimeoutError';
}

/** undici reports "fetch failed" and hides the reason (ECONNREFUSED, ENOTFOUND, ...) in `cause`. */
function networkCause(error: unknown): { code?: unknown; message?: unknown } | undefined {
  const cause = error instanceof Error ? error.cause : undefined;
  return typeof cause === 'object' && cause !== null ? cause : undefined;
}

function networkErrorType(error: unknown): string {
  const code = networkCause(error)?.code;
  return typeof code === 'string' ? code : 'unreachable';
}

function describe(error: unknown): string {
  const cause = networkCause(error);
  if (typeof cause?.message === 'string' && cause.message !== '') {
    return cause.message;
  }
  if (typeof cause?.code === 'string') {
    return cause.code;
  }
  return error instanceof Error ? error.message : String(error);
}

/** The `message` of a JSON error body (NestJS's shape), else the start of the text. */
function errorDetail(text: string): string {
  let detail = text.trim();
  try {
    const body: unknown = JSON.parse(text);
    if (typeof body === 'object' && body !== null && 'message' in body && typeof body.message === 'string') {
      detail = body.message;
    }
  } catch {
    // Not JSON: keep the raw text.
  }
  return detail.length > MAX_DETAIL_CHARS ? `${detail.slice(0, MAX_DETAIL_CHARS)}…` : detail;
}

/**
 * `headers` plus the active trace context (`traceparent`, `baggage`).
 * @vercel/otel's fetch instrumentation injects its client span's context, but
 * only when that span is sampled: without this, a request the browser chose
 * not to sample would reach the data-processor with no parent at all, and
 * the parent-based data-processor would start (and store) a trace of its own
 * for it. When the client span is sampled, @vercel/otel sets the same headers
 * again, naming that span as the parent.
 */
function traceHeaders(headers: Record<string, string>): Record<string, string> {
  propagation.inject(context.active(), headers);
  return headers;
}
