import 'server-only';
import { createLogger, type Logger } from '@tracelens/otel-node/logger';
import { SERVER_SERVICE_NAME } from '@/lib/shared/telemetry';

/**
 * The frontend-api's structured log: one JSON line per record with the
 * active span's `trace_id` and `span_id`, and the same record as an OTLP log
 * through the LoggerProvider that instrumentation.ts's @vercel/otel
 * registers (none when tracing is off: then lines only). Server only; the
 * logger never throws.
 *
 * Lines go out through `console` (stdout for debug/info, stderr for
 * warn/error, as the logger's own default streams would), so whatever
 * handles the console of a Next.js server handles these too, and the route
 * tests show them only for a failing test.
 */
export const log: Logger = createLogger(SERVER_SERVICE_NAME, {
  stdout: { write: (line) => console.log(line.trimEnd()) },
  stderr: { write: (line) => console.error(line.trimEnd()) },
});
