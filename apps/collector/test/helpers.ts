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

export async function getJson<T = any>(collector: RunningCollector, path: string): Promise<{ status: number; body: T }> {
  const res = await fetch(`${collector.queryUrl}${path}`);
  return { status: res.status, body: (await res.json()) as T };
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

/** The message of an OTLP error answer (google.rpc.Status as JSON). */
export async function errorMessage(res: Response): Promise<string> {
  return ((await res.json()) as { message: string }).message;
}
