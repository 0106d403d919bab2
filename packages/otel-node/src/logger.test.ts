import { trace } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import {
  InMemoryLogRecordExporter,
  SimpleLogRecordProcessor,
  type LogRecordProcessor,
  type ReadableLogRecord,
} from '@opentelemetry/sdk-logs';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import {
  ATTR_EXCEPTION_MESSAGE,
  ATTR_EXCEPTION_STACKTRACE,
  ATTR_EXCEPTION_TYPE,
} from '@opentelemetry/semantic-conventions';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger, LOGGER_SCOPE_NAME, type LogSink } from './logger.js';
import { startNodeTracing, type NodeTracing } from './tracing.js';
import { otelVariableNames } from './env.js';

class LineSink implements LogSink {
  readonly lines: string[] = [];
  write(line: string): void {
    this.lines.push(line);
  }
  records(): Record<string, unknown>[] {
    return this.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  }
}

function setup(level?: 'debug' | 'info' | 'warn' | 'error') {
  const stdout = new LineSink();
  const stderr = new LineSink();
  const logger = createLogger('checkout', { stdout, stderr, ...(level ? { level } : {}) });
  return { logger, stdout, stderr };
}

describe('createLogger', () => {
  let tracing: NodeTracing | undefined;
  afterEach(async () => {
    await tracing?.shutdown();
    tracing = undefined;
  });

  it('writes one JSON line per record: time, level, service, msg, then the fields', () => {
    const { logger, stdout } = setup();
    logger.info('order placed', { order_id: 42, items: ['a', 'b'] });

    expect(stdout.lines).toHaveLength(1);
    expect(stdout.lines[0]).toMatch(/\n$/);
    const record = stdout.records()[0];
    expect(Object.keys(record ?? {})).toEqual(['time', 'level', 'service', 'msg', 'order_id', 'items']);
    expect(record).toMatchObject({ level: 'info', service: 'checkout', msg: 'order placed', order_id: 42 });
    expect(new Date(String(record?.['time'])).toISOString()).toBe(record?.['time']);
  });

  it('sends debug/info to stdout and warn/error to stderr, honouring the level', () => {
    const { logger, stdout, stderr } = setup('debug');
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e');
    expect(stdout.records().map((r) => r['level'])).toEqual(['debug', 'info']);
    expect(stderr.records().map((r) => r['level'])).toEqual(['warn', 'error']);

    const quiet = setup('warn');
    quiet.logger.info('dropped');
    quiet.logger.warn('kept');
    expect(quiet.stdout.lines).toEqual([]);
    expect(quiet.stderr.records().map((r) => r['msg'])).toEqual(['kept']);
  });

  it('drops debug by default', () => {
    const { logger, stdout } = setup();
    logger.debug('noise');
    expect(stdout.lines).toEqual([]);
  });

  it('serialises errors, bigints and cycles without throwing, and keeps its own keys', () => {
    const { logger, stderr } = setup();
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic['self'] = cyclic;
    logger.error('boom', { error: new TypeError('bad input'), big: 10n, cyclic, msg: 'field named msg' });

    const record = stderr.records()[0];
    expect(record).toMatchObject({
      msg: 'boom',
      _msg: 'field named msg',
      big: '10',
      cyclic: { name: 'loop', self: '[Circular]' },
      error: { name: 'TypeError', message: 'bad input' },
    });
    expect(String((record?.['error'] as { stack?: unknown }).stack)).toMatch(/TypeError: bad input/);
  });

  it('has no trace ids outside a span', () => {
    const { logger, stdout } = setup();
    logger.info('outside');
    expect(stdout.records()[0]).not.toHaveProperty('trace_id');
    expect(stdout.records()[0]).not.toHaveProperty('span_id');
  });

  it('adds trace_id and span_id of the active span', async () => {
    const exporter = new InMemorySpanExporter();
    tracing = startNodeTracing({
      serviceName: 'checkout',
      spanProcessors: [new SimpleSpanProcessor(exporter)],
      logRecordProcessors: [],
    });
    const { logger, stdout } = setup();

    const ids = await trace.getTracer('test').startActiveSpan('work', async (span) => {
      // After an await, to show the ids follow the async context, not the call stack.
      await Promise.resolve();
      logger.info('inside');
      span.end();
      return span.spanContext();
    });

    expect(stdout.records()[0]).toMatchObject({ msg: 'inside', trace_id: ids.traceId, span_id: ids.spanId });
    expect(ids.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(ids.spanId).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe('createLogger, as an OTLP log source', () => {
  let tracing: NodeTracing | undefined;
  let exporter: InMemoryLogRecordExporter;

  function start(logRecordProcessors: LogRecordProcessor[] = [new SimpleLogRecordProcessor({ exporter })]): NodeTracing {
    tracing = startNodeTracing({
      serviceName: 'checkout',
      spanProcessors: [new SimpleSpanProcessor(new InMemorySpanExporter())],
      logRecordProcessors,
    });
    return tracing;
  }

  /** The exported records; the export waits for async resource attributes, hence the flush. */
  async function exported(): Promise<ReadableLogRecord[]> {
    await tracing?.forceFlush();
    return exporter.getFinishedLogRecords();
  }

  beforeEach(() => {
    for (const key of otelVariableNames()) vi.stubEnv(key, undefined);
    exporter = new InMemoryLogRecordExporter();
  });
  afterEach(async () => {
    await tracing?.shutdown();
    tracing = undefined;
    vi.unstubAllEnvs();
  });

  it("carries the active span's trace context, like the line's trace_id and span_id", async () => {
    start();
    const { logger, stdout } = setup();

    const ids = await trace.getTracer('test').startActiveSpan('work', async (span) => {
      await Promise.resolve();
      logger.info('inside');
      span.end();
      return span.spanContext();
    });
    logger.info('outside');

    const [inside, outside] = await exported();
    expect(inside?.spanContext).toMatchObject({ traceId: ids.traceId, spanId: ids.spanId });
    expect(stdout.records()[0]).toMatchObject({ trace_id: ids.traceId, span_id: ids.spanId });
    expect(outside?.body).toBe('outside');
    expect(outside?.spanContext).toBeUndefined();
  });

  it('maps level, msg and fields onto severity, body and attributes, under its own scope', async () => {
    start();
    const { logger, stdout } = setup('debug');

    logger.debug('d');
    logger.info('order placed', { order_id: 42, items: ['a', 'b'], nested: { ok: true }, big: 10n, msg: 'field' });
    logger.warn('w');
    logger.error('e');

    const records = await exported();
    expect(records.map((r) => [r.severityNumber, r.severityText, r.body])).toEqual([
      [SeverityNumber.DEBUG, 'debug', 'd'],
      [SeverityNumber.INFO, 'info', 'order placed'],
      [SeverityNumber.WARN, 'warn', 'w'],
      [SeverityNumber.ERROR, 'error', 'e'],
    ]);
    // The fields as the line has them: plain JSON values, the logger's own keys renamed.
    expect(records[1]?.attributes).toEqual({
      order_id: 42,
      items: ['a', 'b'],
      nested: { ok: true },
      big: '10',
      _msg: 'field',
    });
    expect(records[1]?.instrumentationScope.name).toBe(LOGGER_SCOPE_NAME);
    const line = stdout.records()[1] ?? {};
    expect(new Date(String(line['time'])).getTime() * 1_000).toBe(
      (records[1]?.hrTime[0] ?? 0) * 1_000_000 + (records[1]?.hrTime[1] ?? 0) / 1_000,
    );
  });

  it('records an Error field as the exception.* attributes too', async () => {
    start();
    const { logger } = setup();
    logger.error('boom', { error: new TypeError('bad input') });

    const [record] = await exported();
    expect(record?.attributes).toMatchObject({
      [ATTR_EXCEPTION_TYPE]: 'TypeError',
      [ATTR_EXCEPTION_MESSAGE]: 'bad input',
      [ATTR_EXCEPTION_STACKTRACE]: expect.stringMatching(/TypeError: bad input/),
      error: { name: 'TypeError', message: 'bad input' },
    });
  });

  it('emits only what passes the level, and nothing with otlp: false', async () => {
    start();
    setup('warn').logger.info('below the level');
    createLogger('checkout', { stdout: new LineSink(), otlp: false }).info('not exported');
    setup().logger.info('exported');

    expect((await exported()).map((r) => r.body)).toEqual(['exported']);
  });

  it('writes the line and does not throw when the export side fails', async () => {
    start([
      {
        onEmit: () => {
          throw new Error('processor broken');
        },
        forceFlush: async () => {},
        shutdown: async () => {},
      },
    ]);
    const { logger, stdout } = setup();

    expect(() => logger.info('still written')).not.toThrow();
    expect(stdout.records().map((r) => r['msg'])).toEqual(['still written']);
  });

  it('is a no-op towards OTLP while no tracing is started', () => {
    const { logger, stdout } = setup();
    expect(() => logger.info('plain')).not.toThrow();
    expect(stdout.records().map((r) => r['msg'])).toEqual(['plain']);
    expect(exporter.getFinishedLogRecords()).toEqual([]);
  });
});
