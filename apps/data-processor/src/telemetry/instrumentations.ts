import type { IncomingMessage } from 'node:http';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';

/** Health checks (Docker, compose, probes) would otherwise fill the trace store. */
const UNTRACED_PATHS = new Set(['/health']);

/**
 * The instrumentations of this app, shared by src/tracing.ts and the tests.
 *
 * Only HTTP: server spans start in `http.Server.prototype.emit`, which
 * @tracelens/otel-node patches even for ESM (see requireBuiltinTargets there).
 * Nothing here covers Nest itself: @opentelemetry/instrumentation-nestjs-core
 * supports Nest < 12 only and silently does nothing on this ESM-only Nest; the
 * NestSpanInterceptor provides its spans and `http.route` instead.
 */
export function createInstrumentations(): HttpInstrumentation[] {
  return [
    new HttpInstrumentation({
      ignoreIncomingRequestHook: (request: IncomingMessage) => UNTRACED_PATHS.has(pathOf(request.url)),
    }),
  ];
}

function pathOf(url: string | undefined): string {
  const path = (url ?? '/').split('?', 1)[0] ?? '/';
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}
