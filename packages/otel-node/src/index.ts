// The public API of @tracelens/otel-node.
export {
  startNodeTracing,
  DEFAULT_EXPORT_TIMEOUT_MILLIS,
  DEFAULT_SHUTDOWN_TIMEOUT_MILLIS,
  type NodeTracing,
  type NodeTracingOptions,
} from './tracing.js';
export { DEFAULT_BAGGAGE_KEYS, type BaggageKeys } from './baggage.js';
export {
  createLogger,
  LOGGER_SCOPE_NAME,
  type Logger,
  type LoggerOptions,
  type LogFields,
  type LogLevel,
  type LogSink,
} from './logger.js';
