import { isSpanContextValid, trace } from '@opentelemetry/api';

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
}

const SEVERITY: Readonly<Record<LogLevel, number>> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Keys the logger owns; a field with one of these names is written as `_<name>`. */
const RESERVED = new Set(['time', 'level', 'service', 'msg', 'trace_id', 'span_id']);

/**
 * A structured logger writing one JSON object per line:
 * `{"time","level","service","msg",...fields,"trace_id","span_id"}`.
 * `trace_id`/`span_id` are those of the active span, so a log line can be
 * joined to its trace; they are absent outside a (valid) span.
 *
 * Logging never throws: a record that cannot be serialised is replaced by a
 * line saying so.
 */
export function createLogger(service: string, options: LoggerOptions = {}): Logger {
  const threshold = SEVERITY[options.level ?? 'info'];
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;

  const write = (level: LogLevel, msg: string, fields: LogFields | undefined): void => {
    if (SEVERITY[level] < threshold) return;
    const sink = SEVERITY[level] >= SEVERITY.warn ? stderr : stdout;
    try {
      sink.write(`${serialize(level, service, msg, fields)}\n`);
    } catch {
      // A closed stdout/stderr (EPIPE) must not take the service down with it.
    }
  };

  return {
    debug: (msg, fields) => write('debug', msg, fields),
    info: (msg, fields) => write('info', msg, fields),
    warn: (msg, fields) => write('warn', msg, fields),
    error: (msg, fields) => write('error', msg, fields),
  };
}

function serialize(level: LogLevel, service: string, msg: string, fields: LogFields | undefined): string {
  const time = new Date().toISOString();
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
