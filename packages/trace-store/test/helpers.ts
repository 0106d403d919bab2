/* eslint-disable @typescript-eslint/no-explicit-any -- answers are checked against @tracelens/jaeger-query's schemas (helpers.ts getJson), then read untyped: each test asserts on the fields it names */
import { answerSchemaFor } from '@tracelens/jaeger-query/answers';
import { startCollector, type CollectorOptions, type RunningCollector } from '../src/index.js';

/** A collector on free ports with an in-memory store, closed by the returned function. */
export async function memoryCollector(options: CollectorOptions = {}): Promise<RunningCollector> {
  return startCollector({ otlpPort: 0, queryPort: 0, db: ':memory:', ...options });
}

export async function postJson(collector: RunningCollector, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${collector.otlpUrl}/v1/traces`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export async function postLogsJson(collector: RunningCollector, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${collector.otlpUrl}/v1/logs`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/**
 * A query API answer, checked against the schema @tracelens/jaeger-query
 * reads it with (by endpoint and status): an answer every reader of the
 * store would reject fails the test that asked for it, whatever it asserts.
 */
export async function getJson<T = any>(collector: RunningCollector, path: string): Promise<{ status: number; body: T }> {
  const res = await fetch(`${collector.queryUrl}${path}`);
  const body: unknown = await res.json();
  assertReadable(`GET ${path}`, res.status, body);
  return { status: res.status, body: body as T };
}

/** Fails, naming every issue, when jaeger-query's schema for `request` rejects `body`. */
export function assertReadable(request: string, status: number, body: unknown): void {
  const parsed = answerSchemaFor(request, status)?.safeParse(body);
  if (parsed && !parsed.success) {
    const issues = parsed.error.issues.map((issue) => `  ${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new Error(`${request} answered ${status} in a shape @tracelens/jaeger-query does not read:\n${issues.join('\n')}`);
  }
}

/**
 * A v1 search over every time the tests use (1970 to 2100, microseconds):
 * Jaeger searches the last two days when `start` is absent, and so does the
 * store.
 */
export function searchPath(params: Record<string, string>): string {
  return `/api/traces?${new URLSearchParams({ start: '0', end: String(Date.UTC(2100, 0, 1) * 1000), ...params })}`;
}

/** A minimal valid OTLP/JSON span; fields can be overridden. */
export function otlpSpan(overrides: Record<string, unknown> = {}) {
  return {
    traceId: '5b8efff798038103d269b633813fc60c',
    spanId: 'eee19b7ec3c1b174',
    name: 'GET /users',
    kind: 2,
    startTimeUnixNano: '1700000000000000000',
    endTimeUnixNano: '1700000000250000000',
    ...overrides,
  };
}

export function otlpRequest(service: string, spans: unknown[], resourceAttributes: unknown[] = []) {
  return {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }, ...resourceAttributes] },
        scopeSpans: [{ scope: { name: 'test-scope', version: '1.0.0' }, spans }],
      },
    ],
  };
}

/** A minimal valid OTLP/JSON log record; fields can be overridden. */
export function otlpLogRecord(overrides: Record<string, unknown> = {}) {
  return {
    timeUnixNano: '1700000000100000000',
    severityNumber: 9,
    severityText: 'INFO',
    body: { stringValue: 'user created' },
    traceId: '5b8efff798038103d269b633813fc60c',
    spanId: 'eee19b7ec3c1b174',
    ...overrides,
  };
}

export function otlpLogsRequest(service: string, logRecords: unknown[]) {
  return {
    resourceLogs: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
        scopeLogs: [{ scope: { name: 'test-scope', version: '1.0.0' }, logRecords }],
      },
    ],
  };
}

/** The message of an OTLP error answer (google.rpc.Status as JSON). */
export async function errorMessage(res: Response): Promise<string> {
  return ((await res.json()) as { message: string }).message;
}
