import { inspect } from 'node:util';
import type { LoggerService } from '@nestjs/common';
import type { LogFields, Logger, LogLevel } from '@tracelens/otel-node';

/** What Nest's ConsoleLogger treats as a stack trace passed to `error()`. */
const STACK_FORMAT = /^(.)+\n\s+at .+:\d+:\d+/;

/**
 * Nest's LoggerService on top of the @tracelens/otel-node JSON logger, so
 * Nest's own lines (bootstrap, route mapping, unhandled exceptions) are JSON
 * with trace ids like ours.
 *
 * Nest calls `log(message, ...params, context)` and `error(message, stack?,
 * context?)`; the context becomes a `context` field, a stack a `stack` field.
 */
export class JsonNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params, { fatal: true });
  }

  private write(level: LogLevel, message: unknown, params: readonly unknown[], extra: LogFields = {}): void {
    const rest = [...params];
    const fields: Record<string, unknown> = { ...extra };

    const last = rest.at(-1);
    if (typeof last === 'string' && !STACK_FORMAT.test(last)) {
      fields['context'] = last;
      rest.pop();
    }
    const stackIndex = rest.findIndex((param) => typeof param === 'string' && STACK_FORMAT.test(param));
    if (stackIndex !== -1) fields['stack'] = rest.splice(stackIndex, 1)[0];
    if (rest.length > 0) fields['params'] = rest;

    let msg: string;
    if (typeof message === 'string') {
      msg = message;
    } else if (message instanceof Error) {
      msg = message.message;
      fields['error'] = message;
    } else {
      msg = inspect(message, { depth: 4, breakLength: Infinity });
    }
    this.logger[level](msg, fields);
  }
}
