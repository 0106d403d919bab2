import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, type LogSink } from './logger.js';
import { startNodeTracing, type NodeTracing } from './tracing.js';

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
