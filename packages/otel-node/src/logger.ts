import { context, isSpanContextValid, trace } from '@opentelemetry/api';
import {
  logs,
  SeverityNumber,
  type LogAttributes,
  type Logger as OtelLogger,
  type LoggerProvider,
} from '@opentelemetry/api-logs';
import { isTracingSuppressed } from '@opentelemetry/core';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Extra fields of one record. Errors are written as `{ name, message, stack }`. */
export type LogFields = Readonly<Record<string, unknown>>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

/** Anything with `write(line)`: a stream, or an array-backed fake in tests. */
export interface LogSink {
  write(line: string): unknown;
}

export interface LoggerOptions {
  /** Lowest level written. Default `'info'`; no env var (the caller's env.ts decides). */
  readonly level?: LogLevel;
  /** Receives debug and info lines. Default `process.stdout`. */
  readonly stdout?: LogSink;
  /** Receives warn and error lines. Default `process.stderr`. */
  readonly stderr?: LogSink;
  /**
   * Also emit each record as an OTLP LogRecord through the global
   * LoggerProvider (the one `startNodeTracing` registers; none means a no-op).
   * Default true; no env var (OTEL_LOGS_EXPORTER=none or OTEL_SDK_DISABLED=true
   * leave no provider to emit to).
   */
  readonly otlp?: boolean;
}

/**
 * Instrumentation scope of the LogRecords this logger emits: the bridge, not
 * the caller, as OpenTelemetry's own log appenders do.
 */
export const LOGGER_SCOPE_NAME = '@tracelens/otel-node';

const SEVERITY: Readonly<Record<LogLevel, number>> = { debug: 10, info: 20, warn: 30, error: 40 };

const OTLP_SEVERITY: Readonly<Record<LogLevel, SeverityNumber>> = {
  debug: SeverityNumber.DEBUG,
  info: SeverityNumber.INFO,
  warn: SeverityNumber.WARN,
  error: SeverityNumber.ERROR,
};

/** Keys the logger owns; a field with one of these names is written as `_<name>`. */
const RESERVED = new Set(['time', 'level', 'service', 'msg', 'trace_id', 'span_id']);

/**
 * A structured logger writing one JSON object per line:
 * `{"time","level","service","msg",...fields,"trace_id","span_id"}`.
 * `trace_id`/`span_id` are those of the active span, so a log line can be
 * joined to its trace; they are absent outside a (valid) span.
 *
 * Each record written is also emitted as an OTLP LogRecord (unless
 * `otlp: false`): severity from the level, body = `msg`, attributes = the
 * fields as written to the line, the trace context of the active span, and
 * the first Error among the fields as `exception.*`. Records emitted where
 * tracing is suppressed (the SDK's own exports, `startNodeTracing`'s
 * self-reports) stay on stdout/stderr only, so a failing log export cannot
 * feed itself.
 *
 * Logging never throws: a record that cannot be serialised is replaced by a
 * line saying so, and a failing emit is ignored.
 */
export function createLogger(service: string, options: LoggerOptions = {}): Logger {
  const threshold = SEVERITY[options.level ?? 'info'];
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const otlp = options.otlp ?? true;
  // The global provider can change (tests start and stop tracing); the API
  // asks to reuse Logger instances, so one is kept per provider.
  let otelLogger: { readonly provider: LoggerProvider; readonly logger: OtelLogger } | undefined;

  const emit = (level: LogLevel, time: Date, msg: string, line: string, fields: LogFields | undefined): void => {
    if (!otlp || isTracingSuppressed(context.active())) return;
    try {
      const provider = logs.getLoggerProvider();
      if (otelLogger?.provider !== provider) otelLogger = { provider, logger: provider.getLogger(LOGGER_SCOPE_NAME) };
      // The line is plain JSON already (errors, bigints and cycles replaced),
      // so its fields are valid OTLP AnyValues and say exactly what the line says.
      otelLogger.logger.emit({
        timestamp: time,
        severityNumber: OTLP_SEVERITY[level],
        severityText: level,
        body: msg,
        attributes: fieldsOf(JSON.parse(line) as Record<string, unknown>),
        exception: firstError(fields),
        context: context.active(),
      });
    } catch {
      // Telemetry must never break the caller.
    }
  };

  const write = (level: LogLevel, msg: string, fields: LogFields | undefined): void => {
    if (SEVERITY[level] < threshold) return;
    const sink = SEVERITY[level] >= SEVERITY.warn ? stderr : stdout;
    const time = new Date();
    const line = serialize(time, level, service, msg, fields);
    try {
      sink.write(`${line}\n`);
    } catch {
      // A closed stdout/stderr (EPIPE) must not take the service down with it.
    }
    emit(level, time, msg, line, fields);
  };

  return {
    debug: (msg, fields) => write('debug', msg, fields),
    info: (msg, fields) => write('info', msg, fields),
    warn: (msg, fields) => write('warn', msg, fields),
    error: (msg, fields) => write('error', msg, fields),
  };
}

/**
 * The line's fields: its record without the keys the logger owns, which the
 * OTLP record carries elsewhere (timestamp, severity, body, resource, trace context).
 */
function fieldsOf(record: Record<string, unknown>): LogAttributes {
  return Object.fromEntries(Object.entries(record).filter(([key]) => !RESERVED.has(key))) as LogAttributes;
}

function firstError(fields: LogFields | undefined): Error | undefined {
  if (!fields) return undefined;
  return Object.values(fields).find((value): value is Error => value instanceof Error);
}

function serialize(date: Date, level: LogLevel, service: string, msg: string, fields: LogFields | undefined): string {
  const time = date.toISOString();
  const record: Record<string, unknown> = { time, level, service, msg };
  if (fields) {
    for (const [key, value] of Object.entries(fields)) {
      record[RESERVED.has(key) ? `_${key}` : key] = value;
    }
  }
  const spanContext = trace.getActiveSpan()?.spanContext();
  if (spanContext && isSpanContextValid(spanContext)) {
    record['trace_id'] = spanContext.traceId;
    record['span_id'] = spanContext.spanId;
  }
  try {
    return JSON.stringify(record, jsonReplacer());
  } catch (error) {
    return JSON.stringify({ time, level, service, msg, log_error: `unserialisable fields: ${String(error)}` });
  }
}

/** Errors as plain objects, bigints as strings, repeated objects as "[Circular]". */
function jsonReplacer(): (key: string, value: unknown) => unknown {
  const seen = new WeakSet<object>();
  return (_key, value) => {
    if (typeof value === 'bigint') return value.toString();
    if (value instanceof Error) {
      const { name, message, stack } = value;
      const code = (value as { code?: unknown }).code;
      return code === undefined ? { name, message, stack } : { name, message, stack, code };
    }
    if (typeof value === 'object' && value !== null) {
      if (seen.has(value)) return '[Circular]';
      seen.add(value);
    }
    return value;
  };
}
