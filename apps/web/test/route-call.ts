import { SpanKind, type Span } from '@opentelemetry/api';
import type { InMemoryTracing } from '@tracelens/trace-testing/in-memory';

/** One route call as the tests see it. */
export interface RouteCall {
  readonly response: Response;
  readonly body: Record<string, unknown>;
  /** The span playing Next's server span around the handler. */
  readonly serverSpan: Span;
}

/** Calls a route handler the way Next.js does: inside its server span. */
export async function callInServerSpan(tracing: InMemoryTracing, spanName: string, handle: () => Promise<Response>): Promise<RouteCall> {
  return tracing.tracer.startActiveSpan(spanName, { kind: SpanKind.SERVER }, async (serverSpan) => {
    try {
      const response = await handle();
      const body = (await response.json()) as Record<string, unknown>;
      return { response, body, serverSpan };
    } finally {
      serverSpan.end();
    }
  });
}
