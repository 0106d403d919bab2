import { createLogger, type Logger, type LogSink } from '@tracelens/otel-node';
import { SERVICE_NAME } from '../src/telemetry/service-info.js';

/** Collects the app logger's lines; `records()` parses them. */
export class LogCapture implements LogSink {
  private lines: string[] = [];

  write(line: string): void {
    this.lines.push(line);
  }

  records(): Record<string, unknown>[] {
    return this.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  clear(): void {
    this.lines = [];
  }

  logger(): Logger {
    return createLogger(SERVICE_NAME, { level: 'debug', stdout: this, stderr: this });
  }
}
