import { InternalServerErrorException } from '@nestjs/common';
import { SpanStatusCode } from '@opentelemetry/api';
import { ATTR_EXCEPTION_MESSAGE } from '@opentelemetry/semantic-conventions';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LogCapture } from '../../test/log-capture.js';
import { startTestTracing } from '../../test/test-tracing.js';
import { spanNamed, waitForSpans } from '@tracelens/trace-testing/in-memory';
import { ATTR_DATA_INPUT_NAME, ATTR_DATA_RESULT, ATTR_DATA_SIMULATED_WORK_MS } from '../attributes.js';
import { loadConfig } from '../env.js';
import { DataService, PROCESS_DATA_SPAN, SIMULATED_ERROR_MESSAGE, simulatedWorkMillis } from './data.service.js';

describe('DataService', () => {
  const testTracing = startTestTracing();
  const logs = new LogCapture();

  const service = (simulatedWork: boolean) =>
    new DataService(loadConfig({ TRACELENS_SIMULATED_WORK: simulatedWork ? 'on' : 'off' }), logs.logger());

  beforeEach(async () => {
    await testTracing.reset();
    logs.clear();
  });
  afterEach(() => {
    vi.useRealTimers();
  });
  afterAll(() => testTracing.stop());

  it('simulates 100 ms plus 10 ms per character', () => {
    expect(simulatedWorkMillis('a')).toBe(110);
    expect(simulatedWorkMillis('charlie')).toBe(170);
  });

  it('upper-cases the name inside a process-data-internal span', async () => {
    await expect(service(false).process('charlie')).resolves.toEqual({
      name: 'charlie',
      result: 'CHARLIE',
      length: 7,
      simulatedWorkMs: 0,
    });

    const spans = await waitForSpans(testTracing, PROCESS_DATA_SPAN, (seen) => seen.length > 0);
    const span = spanNamed(spans, PROCESS_DATA_SPAN);
    expect(span.attributes).toEqual({
      [ATTR_DATA_INPUT_NAME]: 'charlie',
      [ATTR_DATA_RESULT]: 'CHARLIE',
      [ATTR_DATA_SIMULATED_WORK_MS]: 0,
    });
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('takes the simulated time when simulated work is on', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    let settled = false;
    const processing = service(true)
      .process('abc')
      .finally(() => (settled = true));

    await vi.advanceTimersByTimeAsync(129);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await expect(processing).resolves.toMatchObject({ result: 'ABC', simulatedWorkMs: 130 });
    // The in-memory exporter reports back through setTimeout(0); run that
    // before the real timers return, or the next flush waits on it forever.
    await vi.runOnlyPendingTimersAsync();
  });

  it.each(['charlie_error', 'ERROR', 'anErRoR'])(
    'fails %j with a 500 and records it on the span',
    async (name) => {
      const rejection = service(false).process(name);
      await expect(rejection).rejects.toBeInstanceOf(InternalServerErrorException);
      await expect(rejection).rejects.toMatchObject({ message: SIMULATED_ERROR_MESSAGE });

      const spans = await waitForSpans(testTracing, PROCESS_DATA_SPAN, (seen) => seen.length > 0);
      const span = spanNamed(spans, PROCESS_DATA_SPAN);
      expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: SIMULATED_ERROR_MESSAGE });
      expect(span.events.map((event) => [event.name, event.attributes?.[ATTR_EXCEPTION_MESSAGE]])).toEqual([
        ['exception', SIMULATED_ERROR_MESSAGE],
      ]);
      expect(span.attributes).not.toHaveProperty(ATTR_DATA_RESULT);
      expect(logs.records()).toEqual([
        expect.objectContaining({
          level: 'error',
          msg: 'data processing failed',
          name,
          trace_id: span.spanContext().traceId,
          span_id: span.spanContext().spanId,
        }),
      ]);
    },
  );
});
