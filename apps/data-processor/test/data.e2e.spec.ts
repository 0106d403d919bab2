import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import {
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_SERVICE_NAME,
  ATTR_URL_PATH,
} from '@opentelemetry/semantic-conventions';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppModule } from '../src/app.module.js';
import {
  ATTR_DATA_INPUT_NAME,
  ATTR_DATA_RESULT,
  ATTR_DATA_SIMULATED_WORK_MS,
  ATTR_NESTJS_CALLBACK,
  ATTR_NESTJS_CONTROLLER,
  ATTR_NESTJS_TYPE,
} from '../src/attributes.js';
import { PROCESS_DATA_SPAN, SIMULATED_ERROR_MESSAGE } from '../src/data/data.service.js';
import { DATA_NAME_RULE } from '../src/data/dto/data-name.schema.js';
import { loadConfig } from '../src/env.js';
import { JsonNestLogger } from '../src/telemetry/json-nest-logger.js';
import { LogCapture } from './log-capture.js';
import { startTestTracing } from './test-tracing.js';
import { assertChildOf, describeSpans, exceptionMessages, spanNamed, traceOf, waitForSpans } from '@tracelens/trace-testing/in-memory';

const SERVER_SPAN = 'GET /data/:name';
const CONTROLLER_SPAN = 'DataController.process';

describe('data-processor over HTTP', () => {
  // Started before the app is created. Module order does not matter for the
  // server spans: @tracelens/otel-node patches http.Server.prototype, which
  // every server shares, whenever it starts.
  const testTracing = startTestTracing();
  const logs = new LogCapture();
  let app: INestApplication;
  let baseUrl: string;

  beforeAll(async () => {
    const logger = logs.logger();
    const moduleRef = await Test.createTestingModule({
      imports: [AppModule.register({ config: loadConfig({ DATA_PROCESSOR_PORT: '0' }), logger })],
    }).compile();
    app = moduleRef.createNestApplication({ logger: new JsonNestLogger(logger) });
    await app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await app?.close();
    await testTracing.stop();
  });

  beforeEach(async () => {
    await testTracing.reset();
    logs.clear();
  });

  it('answers GET /data/:name with the processed name', async () => {
    const response = await fetch(`${baseUrl}/data/charlie`);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ name: 'charlie', result: 'CHARLIE', length: 7, simulatedWorkMs: 170 });
  });

  /*
   * Expected trace of GET /data/charlie:
   *
   *   GET /data/:name              SERVER    http.route=/data/:name       (instrumentation-http, named by NestSpanInterceptor)
   *   └── DataController.process   INTERNAL  nestjs.type=request_context  (NestSpanInterceptor)
   *       └── process-data-internal INTERNAL data.input_name=charlie, data.result=CHARLIE (DataService)
   */
  it('traces server span -> controller span -> process-data-internal', async () => {
    await fetch(`${baseUrl}/data/charlie`);
    const spans = await traceOf(testTracing, '/data/charlie');

    const server = spanNamed(spans, SERVER_SPAN);
    const controller = spanNamed(spans, CONTROLLER_SPAN);
    const processing = spanNamed(spans, PROCESS_DATA_SPAN);

    expect(server.kind).toBe(SpanKind.SERVER);
    expect(server.parentSpanContext).toBeUndefined();
    expect(server.attributes).toMatchObject({
      [ATTR_HTTP_ROUTE]: '/data/:name',
      [ATTR_HTTP_REQUEST_METHOD]: 'GET',
      [ATTR_HTTP_RESPONSE_STATUS_CODE]: 200,
    });
    expect(server.status.code).toBe(SpanStatusCode.UNSET);

    assertChildOf(controller, server, spans);
    expect(controller.kind).toBe(SpanKind.INTERNAL);
    expect(controller.attributes).toMatchObject({
      [ATTR_NESTJS_TYPE]: 'request_context',
      [ATTR_NESTJS_CONTROLLER]: 'DataController',
      [ATTR_NESTJS_CALLBACK]: 'process',
      [ATTR_HTTP_ROUTE]: '/data/:name',
    });

    assertChildOf(processing, controller, spans);
    expect(processing.attributes).toMatchObject({
      [ATTR_DATA_INPUT_NAME]: 'charlie',
      [ATTR_DATA_RESULT]: 'CHARLIE',
      [ATTR_DATA_SIMULATED_WORK_MS]: 170,
    });
    expect(processing.status.code).toBe(SpanStatusCode.UNSET);
    expect(spans.map((span) => span.resource.attributes[ATTR_SERVICE_NAME])).toEqual(
      spans.map(() => 'data-processor'),
    );
  });

  it('continues a trace started upstream (W3C traceparent)', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const parentSpanId = '00f067aa0ba902b7';
    await fetch(`${baseUrl}/data/delta`, { headers: { traceparent: `00-${traceId}-${parentSpanId}-01` } });
    const spans = await traceOf(testTracing, '/data/delta');

    const server = spanNamed(spans, SERVER_SPAN);
    expect(server.spanContext().traceId).toBe(traceId);
    expect(server.parentSpanContext?.spanId).toBe(parentSpanId);
    expect(spans.map((span) => span.name).sort()).toEqual([CONTROLLER_SPAN, SERVER_SPAN, PROCESS_DATA_SPAN].sort());
  });

  it('fails a name containing "error" with a 500 and an ERROR trace', async () => {
    const response = await fetch(`${baseUrl}/data/charlie_error`);

    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({ statusCode: 500, message: SIMULATED_ERROR_MESSAGE });

    const spans = await traceOf(testTracing, '/data/charlie_error');
    const server = spanNamed(spans, SERVER_SPAN);
    const controller = spanNamed(spans, CONTROLLER_SPAN);
    const processing = spanNamed(spans, PROCESS_DATA_SPAN);

    expect(processing.status).toEqual({ code: SpanStatusCode.ERROR, message: SIMULATED_ERROR_MESSAGE });
    expect(exceptionMessages(processing)).toEqual([SIMULATED_ERROR_MESSAGE]);
    expect(processing.attributes[ATTR_DATA_INPUT_NAME]).toBe('charlie_error');
    expect(processing.attributes).not.toHaveProperty(ATTR_DATA_RESULT);

    expect(controller.status.code).toBe(SpanStatusCode.ERROR);
    expect(exceptionMessages(controller)).toEqual([SIMULATED_ERROR_MESSAGE]);

    expect(server.status.code).toBe(SpanStatusCode.ERROR);
    expect(server.attributes).toMatchObject({ [ATTR_HTTP_ROUTE]: '/data/:name', [ATTR_HTTP_RESPONSE_STATUS_CODE]: 500 });
    assertChildOf(processing, controller, spans);
    assertChildOf(controller, server, spans);
  });

  it.each([
    ['a space', 'bad%20name'],
    ['65 characters', 'a'.repeat(65)],
    ['a semicolon', 'semi%3Bcolon'],
    ['a non-ASCII letter', encodeURIComponent('naïve')],
  ])('rejects a name with %s with a 400 and a clear message', async (_why, encodedName) => {
    const response = await fetch(`${baseUrl}/data/${encodedName}`);

    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ statusCode: 400, error: 'Bad Request', message: DATA_NAME_RULE });
  });

  it('traces a rejected name without processing it, and without an ERROR status', async () => {
    await fetch(`${baseUrl}/data/bad%20name`);
    const spans = await traceOf(testTracing, '/data/bad%20name');

    const server = spanNamed(spans, SERVER_SPAN);
    const controller = spanNamed(spans, CONTROLLER_SPAN);
    expect(spans.map((span) => span.name)).not.toContain(PROCESS_DATA_SPAN);
    expect(server.attributes).toMatchObject({ [ATTR_HTTP_ROUTE]: '/data/:name', [ATTR_HTTP_RESPONSE_STATUS_CODE]: 400 });
    expect(server.status.code).toBe(SpanStatusCode.UNSET);
    expect(controller.status.code).toBe(SpanStatusCode.UNSET);
    expect(exceptionMessages(controller)).toEqual([DATA_NAME_RULE]);
    assertChildOf(controller, server, spans);
  });

  it('logs JSON lines carrying the trace and span id of the work they describe', async () => {
    await fetch(`${baseUrl}/data/echo`);
    const spans = await traceOf(testTracing, '/data/echo');
    const processing = spanNamed(spans, PROCESS_DATA_SPAN);

    const processed = logs.records().filter((record) => record['msg'] === 'data processed');
    expect(processed).toEqual([
      expect.objectContaining({
        level: 'info',
        service: 'data-processor',
        name: 'echo',
        result: 'ECHO',
        trace_id: processing.spanContext().traceId,
        span_id: processing.spanContext().spanId,
      }),
    ]);
  });

  it('copies the allowlisted baggage entries, and only those, onto every span of the request', async () => {
    await fetch(`${baseUrl}/data/golf`, { headers: { baggage: 'session.id=abc,user.id=u1,secret=x' } });
    const spans = await traceOf(testTracing, '/data/golf');

    expect(spans.map((span) => span.name).sort()).toEqual([CONTROLLER_SPAN, SERVER_SPAN, PROCESS_DATA_SPAN].sort());
    for (const span of spans) {
      expect(span.attributes, span.name).toMatchObject({ 'session.id': 'abc', 'user.id': 'u1' });
      expect(span.attributes, span.name).not.toHaveProperty('secret');
    }
  });

  it('exports each log line as an OTLP log record in the trace context of its span', async () => {
    await fetch(`${baseUrl}/data/hotel`);
    const spans = await traceOf(testTracing, '/data/hotel');
    const processing = spanNamed(spans, PROCESS_DATA_SPAN);
    await testTracing.forceFlush();

    const records = testTracing.logExporter.getFinishedLogRecords().filter((record) => record.body === 'data processed');
    expect(records).toHaveLength(1);
    expect(records[0]?.spanContext).toMatchObject({
      traceId: processing.spanContext().traceId,
      spanId: processing.spanContext().spanId,
    });
    expect(records[0]).toMatchObject({
      severityNumber: SeverityNumber.INFO,
      severityText: 'info',
      attributes: { name: 'hotel', result: 'HOTEL', simulated_work_ms: 150 },
    });
    expect(records[0]?.resource.attributes[ATTR_SERVICE_NAME]).toBe('data-processor');
  });

  it('answers GET /health and leaves it out of the traces', async () => {
    const response = await fetch(`${baseUrl}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });

    // Wait for a later, traced request: everything before it has ended too.
    await fetch(`${baseUrl}/data/foxtrot`);
    const spans = await waitForSpans(testTracing, 'the server span of /data/foxtrot', (seen) =>
      seen.some((span) => span.attributes[ATTR_URL_PATH] === '/data/foxtrot'),
    );
    expect(
      spans.filter((span) => span.attributes[ATTR_URL_PATH] === '/health' || span.name.startsWith('HealthController')),
      describeSpans(spans),
    ).toEqual([]);
  });
});
