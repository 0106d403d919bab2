import { context, propagation, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ATTR_SCENARIO_NAME } from './attributes';
import { scenarioPath } from './scenarios';
import { SPAN_SCENARIO_CLICK } from './telemetry';
import { runTracedScenario } from './traced-scenario';

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });

beforeAll(() => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(provider);
});

afterAll(async () => {
  await provider.shutdown();
  trace.disable();
  context.disable();
});

beforeEach(() => exporter.reset());
afterEach(() => vi.unstubAllGlobals());

describe('runTracedScenario', () => {
  it('calls fetch inside the scenario click span and ends it after showing the outcome', async () => {
    let activeAtFetch: string | undefined;
    let baggageAtFetch: string[] | undefined;
    vi.stubGlobal('fetch', (url: string) => {
      activeAtFetch = trace.getActiveSpan()?.spanContext().spanId;
      // What the fetch instrumentation's propagator turns into the `baggage` header.
      baggageAtFetch = propagation.getBaggage(context.active())?.getAllEntries().map(([key]) => key);
      expect(url).toBe('/api/scenarios/contention/pooled');
      return Promise.resolve(Response.json({ name: 'pooled', result: { waitedMs: 3 }, traceId: 'a'.repeat(32) }));
    });
    let endedWhenShown: boolean | undefined;
    const outcome = await runTracedScenario('contention', scenarioPath('contention', { name: 'pooled' }), () => {
      endedWhenShown = exporter.getFinishedSpans().length > 0;
    });

    const [span] = exporter.getFinishedSpans();
    expect(span?.name).toBe(SPAN_SCENARIO_CLICK);
    expect(span?.attributes[ATTR_SCENARIO_NAME]).toBe('contention');
    expect(activeAtFetch).toBe(span?.spanContext().spanId);
    expect(baggageAtFetch?.sort()).toEqual(['session.id', 'user.id']);
    expect(endedWhenShown).toBe(false);
    expect(outcome).toMatchObject({ kind: 'ok', status: 200, traceId: 'a'.repeat(32) });
  });

  it('records an error answer on the span and returns its message', async () => {
    vi.stubGlobal('fetch', () =>
      Promise.resolve(Response.json({ error: 'the data-processor did not answer within 1000 ms', traceId: 'b'.repeat(32) }, { status: 504 })),
    );
    const outcome = await runTracedScenario('timeout', scenarioPath('timeout', { name: 'turtle', deadlineMs: 1000, delayMs: 2000 }));

    expect(outcome).toMatchObject({ kind: 'error', status: 504, message: 'the data-processor did not answer within 1000 ms' });
    const [span] = exporter.getFinishedSpans();
    expect(span?.status.code).toBe(SpanStatusCode.ERROR);
    expect(span?.events.map((e) => e.name)).toContain('exception');
  });
});

describe('scenarioPath', () => {
  it('builds each frontend-api path', () => {
    expect(scenarioPath('fanout', { name: 'batch', names: ['a', 'b'] })).toBe('/api/scenarios/fanout?names=a%2Cb');
    expect(scenarioPath('flaky', { name: 'w', failureRate: 1 })).toBe('/api/scenarios/flaky/w?failureRate=1');
    expect(scenarioPath('flaky', { name: 'w' })).toBe('/api/scenarios/flaky/w');
    expect(scenarioPath('timeout', { name: 't', deadlineMs: 50 })).toBe('/api/scenarios/timeout/t?deadlineMs=50');
  });
});
