/* eslint-disable @typescript-eslint/no-explicit-any -- answers are checked against @tracelens/jaeger-query's schemas (helpers.ts getJson), then read untyped: each test asserts on the fields it names */
import { ROOT_CONTEXT, trace, TraceFlags, type HrTime } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { OTLPLogExporter as JsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as ProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, SimpleLogRecordProcessor, type LogRecordExporter } from '@opentelemetry/sdk-logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningCollector } from '../src/index.js';
import { getJson, memoryCollector, otlpLogRecord, otlpLogsRequest, postLogsJson } from './helpers.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_A = '00f067aa0ba902b7';
const SPAN_B = '1111111111111111';
const OTHER_TRACE = '0af7651916cd43dd8448eb211c80319c';
/** 2023-11-14T22:13:20Z, plus milliseconds; the SDK takes [seconds, nanoseconds]. */
const at = (ms: number): HrTime => [1_700_000_000, ms * 1_000_000];
const atUs = (ms: number) => 1_700_000_000_000_000 + ms * 1000;

/**
 * Log records from the real OpenTelemetry log exporters, JSON for one
 * service and protobuf for the other, each record in its own request
 * (SimpleLogRecordProcessor), emitted out of time order:
 *
 *   data-processor  +30ms INFO  "order received"  span A, typed attributes
 *   data-processor  +10ms DEBUG "parsing order"   span A
 *   worker          +20ms ERROR {code, reason}    span B (map body)
 *   data-processor        WARN  "no trace here"   no trace context
 *   worker                INFO  "idle"            no trace context (protobuf leaves the ids unset)
 */
describe('log records from the OpenTelemetry exporters', () => {
  let collector: RunningCollector;

  function provider(service: string, exporter: LogRecordExporter) {
    return new LoggerProvider({
      resource: resourceFromAttributes({ 'service.name': service, 'host.name': 'box-1' }),
      processors: [new SimpleLogRecordProcessor({ exporter })],
    });
  }
  const inSpan = (spanId: string) =>
    trace.setSpanContext(ROOT_CONTEXT, { traceId: TRACE_ID, spanId, traceFlags: TraceFlags.SAMPLED });

  beforeAll(async () => {
    collector = await memoryCollector();
    const url = `${collector.otlpUrl}/v1/logs`;
    const dataProcessor = provider('data-processor', new JsonLogExporter({ url }));
    const worker = provider('worker', new ProtoLogExporter({ url }));
    const dp = dataProcessor.getLogger('orders', '1.0.0');
    const wk = worker.getLogger('jobs');

    dp.emit({
      timestamp: at(30),
      severityNumber: SeverityNumber.INFO,
      severityText: 'INFO',
      body: 'order received',
      attributes: { 'order.id': 'o-1', 'order.items': 3, 'order.total': 12.5, 'order.express': true, 'order.tags': ['a', 'b'] },
      context: inSpan(SPAN_A),
    });
    dp.emit({ timestamp: at(10), severityNumber: SeverityNumber.DEBUG, severityText: 'DEBUG', body: 'parsing order', context: inSpan(SPAN_A) });
    wk.emit({
      timestamp: at(20),
      severityNumber: SeverityNumber.ERROR,
      severityText: 'ERROR',
      body: { code: 42, reason: 'timeout' },
      attributes: { 'job.attempt': 2 },
      context: inSpan(SPAN_B),
    });
    dp.emit({ severityNumber: SeverityNumber.WARN, severityText: 'WARN', body: 'no trace here', context: ROOT_CONTEXT });
    wk.emit({ severityNumber: SeverityNumber.INFO, severityText: 'INFO', body: 'idle', context: ROOT_CONTEXT });
    await Promise.all([dataProcessor.forceFlush(), worker.forceFlush()]);
    await Promise.all([dataProcessor.shutdown(), worker.shutdown()]);
  });
  afterAll(() => collector.close());

  it('answers a trace’s log records by time, with ids, severity, body and service', async () => {
    const { status, body } = await getJson(collector, `/api/traces/${TRACE_ID}/logs`);
    expect(status).toBe(200);
    expect({ ...body, data: undefined }).toEqual({ data: undefined, total: 3, limit: 0, offset: 0, errors: null });
    expect(body.data.map((l: any) => [l.timestamp, l.spanID, l.severityNumber, l.severityText, l.serviceName, l.body])).toEqual([
      [atUs(10), SPAN_A, 5, 'DEBUG', 'data-processor', 'parsing order'],
      [atUs(20), SPAN_B, 17, 'ERROR', 'worker', '{"code":42,"reason":"timeout"}'],
      [atUs(30), SPAN_A, 9, 'INFO', 'data-processor', 'order received'],
    ]);
    expect(body.data.every((l: any) => l.traceID === TRACE_ID)).toBe(true);
  });

  it('types attributes like Jaeger span tags', async () => {
    const { body } = await getJson(collector, `/api/traces/${TRACE_ID}/logs`);
    const received = body.data.find((l: any) => l.body === 'order received');
    expect(received.attributes).toEqual([
      { key: 'order.id', type: 'string', value: 'o-1' },
      { key: 'order.items', type: 'int64', value: 3 },
      { key: 'order.total', type: 'float64', value: 12.5 },
      { key: 'order.express', type: 'bool', value: true },
      { key: 'order.tags', type: 'string', value: '["a","b"]' },
    ]);
    expect(body.data.find((l: any) => l.serviceName === 'worker').attributes).toEqual([
      { key: 'job.attempt', type: 'int64', value: 2 },
    ]);
  });

  it('accepts records without a trace in both encodings, which no trace lists', async () => {
    expect(collector.store.logCount()).toBe(5);
    expect((await getJson(collector, `/api/traces/${OTHER_TRACE}/logs`)).body.data).toEqual([]);
  });

  it('answers 200 with no data for a trace without logs, 400 for a malformed id', async () => {
    expect((await getJson(collector, `/api/traces/${OTHER_TRACE}/logs`)).body).toEqual({
      data: [],
      total: 0,
      limit: 0,
      offset: 0,
      errors: null,
    });
    const bad = await getJson(collector, '/api/traces/not-a-trace/logs');
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({
      data: null,
      total: 0,
      limit: 0,
      offset: 0,
      errors: [{ code: 400, msg: 'strconv.ParseUint: parsing "not-a-trace": invalid syntax' }],
    });
  });
});

describe('OTLP/JSON log records', () => {
  let collector: RunningCollector;
  beforeAll(async () => {
    collector = await memoryCollector({ nowUs: () => atUs(999) });
  });
  afterAll(() => collector.close());

  it('falls back to the observed time, then to the time received; renders non-string bodies as JSON', async () => {
    const traceId = 'abcdefabcdefabcdefabcdefabcdef01';
    const res = await postLogsJson(
      collector,
      otlpLogsRequest('shop', [
        otlpLogRecord({ traceId, timeUnixNano: '0', observedTimeUnixNano: String(BigInt(atUs(5)) * 1000n), body: { intValue: '7' } }),
        otlpLogRecord({ traceId, timeUnixNano: undefined, body: undefined, spanId: '', severityNumber: 'SEVERITY_NUMBER_WARN' }),
        otlpLogRecord({ traceId, timeUnixNano: '1700000000001000000', body: { kvlistValue: { values: [{ key: 'a', value: { boolValue: true } }] } } }),
      ]),
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ partialSuccess: {} });
    const { body } = await getJson(collector, `/api/traces/${traceId.toUpperCase()}/logs`);
    expect(body.data.map((l: any) => [l.timestamp, l.body, l.spanID, l.severityNumber])).toEqual([
      [atUs(1), '{"a":true}', 'eee19b7ec3c1b174', 9],
      [atUs(5), '7', 'eee19b7ec3c1b174', 9],
      [atUs(999), '', '', 13],
    ]);
  });
});
