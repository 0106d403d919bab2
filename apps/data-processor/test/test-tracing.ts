import { startNodeTracing } from '@tracelens/otel-node';
import { startInMemoryTracing, type InMemoryTracing, type InMemoryTracingOptions } from '@tracelens/trace-testing/in-memory';
import { createInstrumentations } from '../src/telemetry/instrumentations.js';
import { SERVICE_NAME, SERVICE_VERSION } from '../src/telemetry/service-info.js';

/**
 * The one in-memory harness (@tracelens/trace-testing/in-memory) with the
 * app's own tracing setup: same instrumentations, same resource, the default
 * baggage allowlist and the sampler from the environment. One per test file;
 * `reset()` between tests, `stop()` after the last.
 */
export function startTestTracing(options: Pick<InMemoryTracingOptions, 'spanProcessors'> = {}): InMemoryTracing {
  return startInMemoryTracing({
    ...options,
    register: ({ spanProcessors, logRecordProcessors }) =>
      startNodeTracing({ serviceName: SERVICE_NAME, serviceVersion: SERVICE_VERSION, instrumentations: createInstrumentations(), spanProcessors, logRecordProcessors }),
  });
}
