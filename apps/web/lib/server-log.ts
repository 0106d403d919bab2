import { createLogger, type Logger } from '@tracelens/otel-node/logger';
import { SERVER_SERVICE_NAME } from './telemetry';

/**
 * The frontend-api's structured log: one JSON line per record on
 * stdout/stderr with the active span's `trace_id` and `span_id`, and the same
 * record as an OTLP log through the LoggerProvider that instrumentation.ts's
 * @vercel/otel registers (none when tracing is off: then lines only). Server
 * only; the logger never throws.
 */
export const log: Logger = createLogger(SERVER_SERVICE_NAME);
