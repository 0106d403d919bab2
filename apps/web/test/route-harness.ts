import type { ServerResponse } from 'node:http';
import type { InMemoryTracing } from '@tracelens/trace-testing/in-memory';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { parseWebEnv, type WebEnv } from '@/env';
import { startStubServer, type ReceivedRequest, type StubServer } from './http-stub';
import { startTestTracing } from './tracing';

/** What a route test file works with; filled in before its first test runs. */
export interface RouteHarness<H> {
  /** The route handler, built by its factory from a test environment. */
  readonly route: H;
  readonly tracing: InMemoryTracing;
  /** Plays the data-processor. */
  readonly dataProcessor: StubServer;
}

/**
 * Registers the hooks the route test files share: a stub data-processor
 * answering with `respond`, in-memory tracing wired like the app's server
 * side, the handler built by `create` from the environment the app would
 * parse from `vars` (DATA_PROCESSOR_URL pointing at the stub), and spans,
 * log records and received requests reset before each test.
 */
export function routeHarness<H>(
  create: (env: WebEnv) => H,
  respond: (request: ReceivedRequest, response: ServerResponse) => void,
  vars: Readonly<Record<string, string>> = {},
): RouteHarness<H> {
  const harness = {} as { route: H; tracing: InMemoryTracing; dataProcessor: StubServer };
  beforeAll(async () => {
    harness.dataProcessor = await startStubServer(respond);
    harness.tracing = startTestTracing({ dataProcessorUrl: harness.dataProcessor.url, otlpTracesUrl: 'http://127.0.0.1:9/v1/traces' });
    harness.route = create(parseWebEnv({ ...vars, DATA_PROCESSOR_URL: harness.dataProcessor.url }));
  });
  afterAll(async () => {
    await harness.tracing.stop();
    await harness.dataProcessor.close();
  });
  beforeEach(async () => {
    await harness.tracing.reset();
    harness.dataProcessor.reset();
  });
  return harness;
}
