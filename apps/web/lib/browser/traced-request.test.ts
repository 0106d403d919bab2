import { context, propagation, SpanStatusCode, trace } from '@opentelemetry/api';
import { startInMemoryTracing, type InMemoryTracing } from '@tracelens/trace-testing/in-memory';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ATTR_SCENARIO_NAME, ATTR_USER_NAME } from '@/lib/shared/attributes';
import { scenarioPath } from '@/lib/shared/scenarios';
import { SPAN_PROCESS_CLICK, SPAN_SCENARIO_CLICK } from '@/lib/shared/telemetry';
import { runTracedProcess, runTracedScenario, type ProcessOutcome } from './traced-request';
import { setBrowserTracingReady } from './tracing-ready';

let tracing: InMemoryTracing;

beforeAll(() => {
  tracing = startInMemoryTracing();
});

afterAll(() => tracing.stop());

beforeEach(() => tracing.reset());
afterEach(() => {
  vi.unstubAllGlobals();
  setBrowserTracingReady(() => Promise.resolve());
});

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
      endedWhenShown = tracing.exporter.getFinishedSpans().length > 0;
    });

    const [span] = tracing.exporter.getFinishedSpans();
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
    const [span] = tracing.exporter.getFinishedSpans();
    expect(span?.status.code).toBe(SpanStatusCode.ERROR);
    expect(span?.events.map((e) => e.name)).toContain('exception');
  });
});

describe('runTracedProcess', () => {
  it('waits for browser tracing to be ready before it starts the click span', async () => {
    let release = () => {};
    setBrowserTracingReady(() => new Promise<void>((resolve) => (release = resolve)));
    vi.stubGlobal('fetch', () => Promise.resolve(Response.json({ name: 'alice', result: { processed: 'ALICE' }, traceId: 'c'.repeat(32) })));
    const shown: ProcessOutcome[] = [];
    const done = runTracedProcess('alice', (outcome) => shown.push(outcome));
    // Let every pending callback run: still waiting, nothing started.
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(shown).toEqual([]);
    release();
    await done;

    expect(shown).toEqual([{ kind: 'ok', name: 'alice', result: { processed: 'ALICE' }, traceId: 'c'.repeat(32) }]);
    const [span] = tracing.exporter.getFinishedSpans();
    expect(span?.name).toBe(SPAN_PROCESS_CLICK);
    expect(span?.attributes[ATTR_USER_NAME]).toBe('alice');
  });

  it('records an answer that breaks the API contract as an error, and a network failure too', async () => {
    vi.stubGlobal('fetch', () => Promise.resolve(new Response('<html>a proxy page</html>', { status: 200 })));
    const shown: ProcessOutcome[] = [];
    await runTracedProcess('alice', (outcome) => shown.push(outcome));
    vi.stubGlobal('fetch', () => Promise.reject(new TypeError('Failed to fetch')));
    await runTracedProcess('bob', (outcome) => shown.push(outcome));

    expect(shown.map((o) => (o.kind === 'error' ? o.message : 'ok'))).toEqual([
      'the frontend-api answered 200 with something this page does not understand',
      'Network error: Failed to fetch',
    ]);
    expect(tracing.exporter.getFinishedSpans().map((span) => [span.status.code, span.attributes['error.type']])).toEqual([
      [SpanStatusCode.ERROR, 'invalid_response'],
      [SpanStatusCode.ERROR, 'TypeError'],
    ]);
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
