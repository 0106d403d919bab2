import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, beforeEach, vi } from 'vitest';
import { startStubServer, type ReceivedRequest, type StubServer } from './http-stub';
import { startTestTracing, type TestTracing } from './tracing';

/** What a route test file works with; filled in before its first test runs. */
export interface RouteHarness<M> {
  /** The route module, imported after the environment was stubbed. */
  readonly route: M;
  readonly tracing: TestTracing;
  /** Plays the data-processor. */
  readonly dataProcessor: StubServer;
}

/**
 * Registers the hooks the route test files share: a stub data-processor
 * answering with `respond`, in-memory tracing wired like the app's server
 * side, the route module imported afresh (`load`, so env.ts parses
 * DATA_PROCESSOR_URL and `env` as stubbed here), and spans, log records and
 * received requests reset before each test.
 */
export function routeHarness<M>(
  load: () => Promise<M>,
  respond: (request: ReceivedRequest, response: ServerResponse) => void,
  env: Readonly<Record<string, string>> = {},
): RouteHarness<M> {
  const harness = {} as { route: M; tracing: TestTracing; dataProcessor: StubServer };
  beforeAll(async () => {
    harness.dataProcessor = await startStubServer(respond);
    harness.tracing = startTestTracing({ dataProcessorUrl: harness.dataProcessor.url, otlpTracesUrl: 'http://127.0.0.1:9/v1/traces' });
    vi.stubEnv('DATA_PROCESSOR_URL', harness.dataProcessor.url);
    for (const [key, value] of Object.entries(env)) vi.stubEnv(key, value);
    vi.resetModules();
    harness.route = await load();
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await harness.tracing.stop();
    await harness.dataProcessor.close();
  });
  beforeEach(() => {
    harness.tracing.exporter.reset();
    harness.tracing.logs.reset();
    harness.dataProcessor.reset();
  });
  return harness;
}
