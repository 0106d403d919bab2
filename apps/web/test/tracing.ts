import { FetchInstrumentation } from '@vercel/otel';
import { startInMemoryTracing, type InMemoryTracing } from '@tracelens/trace-testing/in-memory';
import { fetchInstrumentationConfig, type ServerTracingSettings } from '@/lib/server/tracing';

/**
 * The one in-memory harness (@tracelens/trace-testing/in-memory), wired like
 * the app's server side where it matters: @vercel/otel's fetch
 * instrumentation with the app's own settings, so the tests see the real
 * propagate and ignore decisions. One per test file.
 */
export function startTestTracing(settings: ServerTracingSettings): InMemoryTracing {
  return startInMemoryTracing({ instrumentations: [new FetchInstrumentation(fetchInstrumentationConfig(settings))] });
}
