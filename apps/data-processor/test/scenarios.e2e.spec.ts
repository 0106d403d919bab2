import type { INestApplication } from '@nestjs/common';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_RESEND_COUNT,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_URL_PATH,
} from '@opentelemetry/semantic-conventions';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ATTR_CALLER_GONE,
  ATTR_DATA_INPUT_NAME,
  ATTR_DATA_RESULT,
  ATTR_DATA_SIMULATED_WORK_MS,
  ATTR_INVENTORY_FAILURE_RATE,
  ATTR_INVENTORY_QUANTITY,
  ATTR_POOL_MAX_QUEUE,
  ATTR_POOL_REQUESTS_AHEAD,
  ATTR_POOL_SIZE,
  ATTR_POOL_WAIT_MS,
  ATTR_RETRY_ATTEMPT,
  ATTR_RETRY_ATTEMPTS,
  ATTR_RETRY_BACKOFF_MS,
  ATTR_RETRY_MAX_ATTEMPTS,
  ATTR_RETRY_OUTCOME,
  ATTR_SLOW_DELAY_MS,
  ATTR_SLOW_ELAPSED_MS,
  EVENT_CALLER_GONE,
} from '../src/attributes.js';
import { DATA_NAME_RULE } from '../src/data/dto/data-name.schema.js';
import { FAILURE_RATE_RULE } from '../src/inventory/dto/failure-rate.schema.js';
import { CHECK_INVENTORY_SPAN, INVENTORY_UNAVAILABLE_MESSAGE, quantityOf } from '../src/inventory/inventory.service.js';
import { CALLER_GONE_MESSAGE } from '../src/scenarios/caller-signal.js';
import { ContentionService, USE_CONNECTION_SPAN, WAIT_FOR_CONNECTION_SPAN } from '../src/scenarios/contention.service.js';
import { DELAY_MS_RULE } from '../src/scenarios/dto/delay-ms.schema.js';
import { CALL_INVENTORY_SPAN, INVENTORY_ATTEMPT_SPAN } from '../src/scenarios/flaky.service.js';
import { SLOW_WORK_SPAN } from '../src/scenarios/slow.service.js';
import { startTestApp } from './test-app.js';
import { LogCapture } from './log-capture.js';
import { startTestTracing } from './test-tracing.js';
import { StartedSpans, assertChildOf, describeSpans, durationMs, exceptionMessages, spanNamed, traceOf } from '@tracelens/trace-testing/in-memory';

/** Settings the scenarios run with here: short enough for a test, long enough to queue up. */
const ENV = {
  CONTENTION_POOL_SIZE: '1',
  CONTENTION_WORK_MS: '150',
  FLAKY_FAILURE_RATE: '1',
  FLAKY_MAX_ATTEMPTS: '3',
  FLAKY_BACKOFF_MS: '5',
};

function spansNamed(spans: readonly ReadableSpan[], name: string): ReadableSpan[] {
  return spans.filter((span) => span.name === name);
}

function childrenOf(parent: ReadableSpan, spans: readonly ReadableSpan[]): ReadableSpan[] {
  return spans.filter((span) => span.parentSpanContext?.spanId === parent.spanContext().spanId);
}

describe('scenarios over HTTP', () => {
  const started = new StartedSpans();
  const testTracing = startTestTracing({ spanProcessors: [started] });
  const logs = new LogCapture();
  let app: INestApplication;
  let baseUrl: string;

  beforeAll(async () => {
    ({ app, baseUrl } = await startTestApp(logs, ENV));
  });

  afterAll(async () => {
    await app?.close();
    await testTracing.stop();
  });

  beforeEach(async () => {
    await testTracing.reset();
    started.clear();
    logs.clear();
  });

  describe('GET /scenarios/contention/:name', () => {
    /*
     * Each of 5 concurrent requests, pool of 1 connection:
     *
     *   GET /scenarios/contention/:name     SERVER
     *   └── ScenariosController.contention  INTERNAL
     *       ├── wait for connection         pool.size=1, pool.requests_ahead=n, pool.wait_ms
     *       └── use connection              data.simulated_work_ms=150, data.result
     */
    it('queues concurrent requests; the wait span grows with the requests ahead', async () => {
      const names = ['c0', 'c1', 'c2', 'c3', 'c4'];
      const responses = await Promise.all(names.map((name) => fetch(`${baseUrl}/scenarios/contention/${name}`)));
      const bodies = await Promise.all(responses.map((response) => response.json() as Promise<Record<string, unknown>>));

      expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200, 200]);
      expect(bodies.map((body) => body['result'])).toEqual(['C0', 'C1', 'C2', 'C3', 'C4']);
      for (const body of bodies) {
        expect(body).toEqual({
          name: expect.any(String),
          result: expect.any(String),
          requestsAhead: expect.any(Number),
          waitedMs: expect.any(Number),
          workMs: 150,
        });
      }

      const traces = await Promise.all(
        names.map((name) => traceOf(testTracing, `/scenarios/contention/${name}`, (spans) => spans.length === 4)),
      );
      const requests = traces.map((spans) => {
        const server = spanNamed(spans, 'GET /scenarios/contention/:name');
        const controller = spanNamed(spans, 'ScenariosController.contention');
        const wait = spanNamed(spans, WAIT_FOR_CONNECTION_SPAN);
        const use = spanNamed(spans, USE_CONNECTION_SPAN);
        assertChildOf(controller, server, spans);
        assertChildOf(wait, controller, spans);
        assertChildOf(use, controller, spans);
        expect(wait.attributes).toMatchObject({ [ATTR_POOL_SIZE]: 1, [ATTR_POOL_MAX_QUEUE]: 100 });
        expect(use.attributes).toMatchObject({ [ATTR_DATA_SIMULATED_WORK_MS]: 150 });
        return { wait, use, spans };
      });

      // Whoever arrived with 3 or more ahead waited for at least 3 others' work.
      const queued = requests.filter(({ wait }) => Number(wait.attributes[ATTR_POOL_REQUESTS_AHEAD]) >= 3);
      expect(queued, describeSpans(requests.flatMap(({ spans }) => spans))).not.toEqual([]);
      for (const { wait, use } of queued) {
        expect(durationMs(wait)).toBeGreaterThan(durationMs(use));
      }
      // The body says what the span says.
      const aheads = requests.map(({ wait }) => wait.attributes[ATTR_POOL_REQUESTS_AHEAD]).sort();
      expect(bodies.map((body) => body['requestsAhead']).sort()).toEqual(aheads);
      expect(bodies.map((body) => body['waitedMs']).sort()).toEqual(
        requests.map(({ wait }) => wait.attributes[ATTR_POOL_WAIT_MS]).sort(),
      );
    });

    it('answers a lone request without waiting', async () => {
      const response = await fetch(`${baseUrl}/scenarios/contention/solo`);
      expect(await response.json()).toMatchObject({ name: 'solo', result: 'SOLO', requestsAhead: 0, workMs: 150 });

      const spans = await traceOf(testTracing, '/scenarios/contention/solo', (seen) => seen.length === 4);
      expect(spanNamed(spans, USE_CONNECTION_SPAN).attributes).toMatchObject({
        [ATTR_DATA_INPUT_NAME]: 'solo',
        [ATTR_DATA_RESULT]: 'SOLO',
      });
    });

    it('rejects a name as /data does', async () => {
      const response = await fetch(`${baseUrl}/scenarios/contention/bad%20name`);
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ statusCode: 400, error: 'Bad Request', message: DATA_NAME_RULE });
    });
  });

  describe('GET /downstream/inventory/:name', () => {
    it('answers the quantity when it does not fail', async () => {
      const response = await fetch(`${baseUrl}/downstream/inventory/widget?failureRate=0`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ name: 'widget', quantity: quantityOf('widget') });
    });

    it('fails with a 503 at the configured rate (FLAKY_FAILURE_RATE=1 here), in its own server span', async () => {
      const response = await fetch(`${baseUrl}/downstream/inventory/widget`);
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({
        statusCode: 503,
        error: 'Service Unavailable',
        message: INVENTORY_UNAVAILABLE_MESSAGE,
      });

      const spans = await traceOf(testTracing, '/downstream/inventory/widget', (seen) => seen.length === 3);
      const server = spanNamed(spans, 'GET /downstream/inventory/:name');
      const check = spanNamed(spans, CHECK_INVENTORY_SPAN);
      expect(server.kind).toBe(SpanKind.SERVER);
      expect(server.attributes[ATTR_HTTP_RESPONSE_STATUS_CODE]).toBe(503);
      expect(check.status).toEqual({ code: SpanStatusCode.ERROR, message: INVENTORY_UNAVAILABLE_MESSAGE });
      expect(check.attributes[ATTR_INVENTORY_FAILURE_RATE]).toBe(1);
      assertChildOf(check, spanNamed(spans, 'InventoryController.check'), spans);
    });
  });

  describe('GET /scenarios/flaky/:name', () => {
    /*
     * With failureRate=1 and FLAKY_MAX_ATTEMPTS=3:
     *
     *   GET /scenarios/flaky/:name                      SERVER   502
     *   └── ScenariosController.flaky                   INTERNAL ERROR
     *       └── call inventory                          INTERNAL ERROR retry.outcome=exhausted, retry.attempts=3
     *           ├── inventory attempt                   retry.attempt=1, retry.backoff_ms=0   ERROR
     *           │   └── GET                             CLIENT   (undici) 503
     *           │       └── GET /downstream/inventory/:name  SERVER 503
     *           │           └── InventoryController.check
     *           │               └── check inventory     ERROR
     *           ├── inventory attempt                   retry.attempt=2, retry.backoff_ms=5   (same subtree)
     *           └── inventory attempt                   retry.attempt=3, retry.backoff_ms=10  (same subtree)
     */
    it('retries each failure with backoff, one span per attempt, and fails with a 502 when exhausted', async () => {
      const response = await fetch(`${baseUrl}/scenarios/flaky/widget?failureRate=1`, {
        headers: { baggage: 'session.id=s-42,secret=x' },
      });
      expect(response.status).toBe(502);
      const body = (await response.json()) as { message: string };
      expect(body).toMatchObject({ statusCode: 502, error: 'Bad Gateway' });
      expect(body.message).toBe(
        `inventory still failing after 3 attempts (last: inventory answered 503: ${INVENTORY_UNAVAILABLE_MESSAGE})`,
      );

      const spans = await traceOf(testTracing, '/scenarios/flaky/widget', (seen) => seen.length === 3 + 3 * 5);
      const server = spanNamed(spans, 'GET /scenarios/flaky/:name');
      const controller = spanNamed(spans, 'ScenariosController.flaky');
      const call = spanNamed(spans, CALL_INVENTORY_SPAN);
      expect(server.attributes[ATTR_HTTP_RESPONSE_STATUS_CODE]).toBe(502);
      assertChildOf(call, controller, spans);
      expect(call.status).toEqual({ code: SpanStatusCode.ERROR, message: body.message });
      expect(exceptionMessages(call)).toEqual([body.message]);
      expect(call.attributes).toMatchObject({
        [ATTR_RETRY_OUTCOME]: 'exhausted',
        [ATTR_RETRY_ATTEMPTS]: 3,
        [ATTR_RETRY_MAX_ATTEMPTS]: 3,
        [ATTR_INVENTORY_FAILURE_RATE]: 1,
      });

      const attempts = childrenOf(call, spans).sort(
        (a, b) => Number(a.attributes[ATTR_RETRY_ATTEMPT]) - Number(b.attributes[ATTR_RETRY_ATTEMPT]),
      );
      expect(attempts.map((attempt) => [attempt.name, attempt.attributes])).toEqual(
        [1, 2, 3].map((n) => [
          INVENTORY_ATTEMPT_SPAN,
          {
            [ATTR_RETRY_ATTEMPT]: n,
            [ATTR_HTTP_REQUEST_RESEND_COUNT]: n - 1,
            [ATTR_RETRY_BACKOFF_MS]: [0, 5, 10][n - 1],
            [ATTR_ERROR_TYPE]: '503',
            'session.id': 's-42',
          },
        ]),
      );
      for (const attempt of attempts) {
        expect(attempt.status.code).toBe(SpanStatusCode.ERROR);
        // The attempt's HTTP call, and the downstream's server span under it, in the same trace.
        const [client] = childrenOf(attempt, spans);
        expect(client?.kind).toBe(SpanKind.CLIENT);
        expect(client?.attributes[ATTR_HTTP_RESPONSE_STATUS_CODE]).toBe(503);
        const [downstream] = client ? childrenOf(client, spans) : [];
        expect(downstream?.name).toBe('GET /downstream/inventory/:name');
        expect(downstream?.attributes).toMatchObject({
          [ATTR_HTTP_ROUTE]: '/downstream/inventory/:name',
          [ATTR_URL_PATH]: '/downstream/inventory/widget',
          // Baggage went downstream with traceparent, and only the allowlisted entry became an attribute.
          'session.id': 's-42',
        });
        expect(downstream?.attributes).not.toHaveProperty('secret');
      }
      expect(spansNamed(spans, CHECK_INVENTORY_SPAN)).toHaveLength(3);
    });

    it('succeeds on the first attempt with failureRate=0', async () => {
      const response = await fetch(`${baseUrl}/scenarios/flaky/widget?failureRate=0`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ name: 'widget', quantity: quantityOf('widget'), attempts: 1, backoffMs: 0 });

      const spans = await traceOf(testTracing, '/scenarios/flaky/widget', (seen) => seen.length === 3 + 5);
      const call = spanNamed(spans, CALL_INVENTORY_SPAN);
      expect(call.status.code).toBe(SpanStatusCode.UNSET);
      expect(call.attributes).toMatchObject({
        [ATTR_RETRY_OUTCOME]: 'success',
        [ATTR_RETRY_ATTEMPTS]: 1,
        [ATTR_INVENTORY_QUANTITY]: quantityOf('widget'),
      });
      const attempt = spanNamed(spans, INVENTORY_ATTEMPT_SPAN);
      assertChildOf(attempt, call, spans);
      expect(attempt.attributes).toMatchObject({ [ATTR_RETRY_ATTEMPT]: 1, [ATTR_RETRY_BACKOFF_MS]: 0 });
      expect(attempt.status.code).toBe(SpanStatusCode.UNSET);
    });

    it.each([['2'], ['-0.5'], ['abc'], ['1e-1'], ['0.5&failureRate=0.2']])(
      'rejects failureRate=%s with a 400 and a clear message',
      async (raw) => {
        const response = await fetch(`${baseUrl}/scenarios/flaky/widget?failureRate=${raw}`);
        expect(response.status).toBe(400);
        expect(await response.json()).toEqual({ statusCode: 400, error: 'Bad Request', message: FAILURE_RATE_RULE });
      },
    );
  });

  describe('GET /scenarios/slow/:name', () => {
    it('answers after delayMs', async () => {
      const response = await fetch(`${baseUrl}/scenarios/slow/turtle?delayMs=20`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ name: 'turtle', result: 'TURTLE', delayMs: 20 });

      const spans = await traceOf(testTracing, '/scenarios/slow/turtle', (seen) => seen.length === 3);
      const work = spanNamed(spans, SLOW_WORK_SPAN);
      assertChildOf(work, spanNamed(spans, 'ScenariosController.slow'), spans);
      expect(work.attributes).toEqual({
        [ATTR_DATA_INPUT_NAME]: 'turtle',
        [ATTR_SLOW_DELAY_MS]: 20,
        [ATTR_DATA_RESULT]: 'TURTLE',
      });
      expect(work.status.code).toBe(SpanStatusCode.UNSET);
    });

    /*
     *   GET /scenarios/slow/:name       SERVER   caller.gone=true, event "caller went away"
     *   └── ScenariosController.slow    INTERNAL exception event "caller went away before the answer" (499, not ERROR)
     *       └── slow work               INTERNAL ERROR "caller went away before the answer", caller.gone=true,
     *                                   event "caller went away" { slow.elapsed_ms }
     */
    it('marks the work span when the caller goes away before the answer', async () => {
      const caller = new AbortController();
      const request = fetch(`${baseUrl}/scenarios/slow/turtle?delayMs=30000`, { signal: caller.signal });
      await started.waitFor(SLOW_WORK_SPAN);
      caller.abort();
      await expect(request).rejects.toThrow();

      const spans = await traceOf(testTracing, '/scenarios/slow/turtle', (seen) => seen.length === 3);
      const work = spanNamed(spans, SLOW_WORK_SPAN);
      const controller = spanNamed(spans, 'ScenariosController.slow');
      expect(work.status).toEqual({ code: SpanStatusCode.ERROR, message: CALLER_GONE_MESSAGE });
      expect(work.attributes).toMatchObject({ [ATTR_CALLER_GONE]: true, [ATTR_SLOW_DELAY_MS]: 30_000 });
      expect(work.attributes).not.toHaveProperty(ATTR_DATA_RESULT);
      expect(work.events.map((event) => event.name)).toEqual([EVENT_CALLER_GONE]);
      expect(Number(work.events[0]?.attributes?.[ATTR_SLOW_ELAPSED_MS])).toBeLessThan(30_000);
      expect(controller.status.code).toBe(SpanStatusCode.UNSET);
      expect(exceptionMessages(controller)).toEqual([CALLER_GONE_MESSAGE]);
      const server = spanNamed(spans, 'GET /scenarios/slow/:name');
      expect(server.attributes[ATTR_CALLER_GONE]).toBe(true);
      expect(server.events.map((event) => event.name)).toEqual([EVENT_CALLER_GONE]);
      expect(logs.records()).toContainEqual(
        expect.objectContaining({
          level: 'warn',
          msg: 'slow work cut off: caller went away',
          trace_id: work.spanContext().traceId,
          span_id: work.spanContext().spanId,
        }),
      );
    });

    it.each([['30001'], ['-1'], ['1.5'], ['soon']])('rejects delayMs=%s with a 400 and a clear message', async (raw) => {
      const response = await fetch(`${baseUrl}/scenarios/slow/turtle?delayMs=${raw}`);
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ statusCode: 400, error: 'Bad Request', message: DELAY_MS_RULE });
    });
  });

  describe('GET /scenarios/contention/:name with a full queue', () => {
    let fullApp: INestApplication;
    let fullUrl: string;

    beforeAll(async () => {
      // No queue at all, and work long enough that the holder below still holds when the request arrives.
      ({ app: fullApp, baseUrl: fullUrl } = await startTestApp(logs, {
        CONTENTION_MAX_QUEUE: '0',
        CONTENTION_WORK_MS: '1000',
      }));
    });
    afterAll(() => fullApp?.close());

    it('refuses a request beyond CONTENTION_MAX_QUEUE with a 503, ERROR on its wait span', async () => {
      // Takes the only connection synchronously: `run` acquires before its first await.
      const holder = fullApp.get(ContentionService).run('holder');
      const response = await fetch(`${fullUrl}/scenarios/contention/late`);
      await holder;

      expect(response.status).toBe(503);
      const message = 'contention pool saturated: 0 requests already waiting for 1 connection; try again later';
      expect(await response.json()).toEqual({ statusCode: 503, error: 'Service Unavailable', message });
      const spans = await traceOf(testTracing, '/scenarios/contention/late', (seen) => seen.length === 3);
      const wait = spanNamed(spans, WAIT_FOR_CONNECTION_SPAN);
      expect(wait.attributes).toMatchObject({ [ATTR_POOL_REQUESTS_AHEAD]: 1, [ATTR_POOL_MAX_QUEUE]: 0 });
      expect(wait.status).toEqual({ code: SpanStatusCode.ERROR, message });
      expect(spans.map((span) => span.name)).not.toContain(USE_CONNECTION_SPAN);
    });
  });
});
