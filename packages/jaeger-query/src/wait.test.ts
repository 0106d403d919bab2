import { describe, expect, it } from 'vitest';
import type { Trace, TraceSpan } from './model.js';
import { waitForTrace, watchTrace, type Verdict, type WatchEvent, type WatchOptions } from './wait.js';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const span = (spanId: string, service: string, parentSpanId: string | null = null): TraceSpan => ({
  traceId: TRACE_ID,
  spanId,
  parentSpanId,
  service,
  name: spanId,
  kind: 'internal',
  startUs: 0,
  durationUs: 1,
  error: false,
  attributes: [],
  resource: [],
  events: [],
  references: [],
  warnings: [],
});
const trace = (...spans: TraceSpan[]): Trace => ({ traceId: TRACE_ID, spans, warnings: [] });
const click = span('click', 'web-ui');
const api = span('api', 'frontend-api', 'click');
const dp = span('dp', 'data-processor', 'api');

/** Replays one answer per read (the last one repeats); an Error answer is thrown. */
function store(...answers: (Trace | null | Error)[]) {
  let reads = 0;
  return {
    read: (): Promise<Trace | null> => {
      const answer = answers[Math.min(reads, answers.length - 1)] ?? null;
      reads += 1;
      return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
    },
    get reads() {
      return reads;
    },
  };
}

/** Complete with all three services; an incomplete trace with its root settles after `settleAfterMs`. */
const judge =
  (settleAfterMs: number | null = null) =>
  (t: Trace | null): Verdict => {
    const services = new Set(t?.spans.map((s) => s.service));
    const missing = ['web-ui', 'frontend-api', 'data-processor'].filter((s) => !services.has(s));
    const rooted = t?.spans.some((s) => s.parentSpanId === null) ?? false;
    return { complete: missing.length === 0, missing: missing.length === 0 ? '' : `no spans from ${missing.join(', ')}`, settleAfterMs: rooted ? settleAfterMs : null };
  };

/** A clock that moves 100 ms per reading, so deadlines need no real waiting. */
function options(overrides: Partial<WatchOptions<Verdict>> = {}): WatchOptions<Verdict> {
  let ms = 0;
  return { judge: judge(), intervalMs: 0, timeoutMs: 1_000, confirmComplete: true, now: () => (ms += 100), ...overrides };
}

async function collect(events: AsyncGenerator<WatchEvent<Verdict>>): Promise<string[]> {
  const out: string[] = [];
  for await (const event of events) {
    out.push(
      event.type === 'change'
        ? `change ${event.trace?.spans.length ?? 'none'}${event.verdict.complete ? ' complete' : ''}`
        : event.type === 'problem'
          ? `problem ${event.message}`
          : `end ${event.reason}`,
    );
  }
  return out;
}

describe('watchTrace', () => {
  it('sends each change and ends once complete and one more read brought nothing new', async () => {
    const source = store(null, trace(click), trace(click, api), trace(click, api, dp));
    expect(await collect(watchTrace(source.read, TRACE_ID, options()))).toEqual(['change none', 'change 1', 'change 2', 'change 3 complete', 'end complete']);
  });

  it('waits for a late batch that arrives right after the trace looked complete', async () => {
    const late = span('late', 'frontend-api', 'api');
    const source = store(trace(click, api, dp), trace(click, api, dp, late));
    expect(await collect(watchTrace(source.read, TRACE_ID, options()))).toEqual(['change 3 complete', 'change 4 complete', 'end complete']);
  });

  it('does not count the same spans in another order as a change (Jaeger reorders them on each read)', async () => {
    const source = store(trace(click, api, dp), trace(dp, click, api));
    expect(await collect(watchTrace(source.read, TRACE_ID, options()))).toEqual(['change 3 complete', 'end complete']);
  });

  it('ends at once when complete, without confirmComplete', async () => {
    const source = store(trace(click, api, dp));
    expect(await collect(watchTrace(source.read, TRACE_ID, options({ confirmComplete: false })))).toEqual(['change 3 complete', 'end complete']);
    expect(source.reads).toBe(1);
  });

  it('ends with a timeout while nothing settles', async () => {
    const source = store(trace(api, dp));
    expect(await collect(watchTrace(source.read, TRACE_ID, options({ timeoutMs: 350 })))).toEqual(['change 2', 'end timeout']);
    // Deadline at 450 ms on a clock read once per loop, 100 ms apart: reads at 200, 300, 400, 500.
    expect(source.reads).toBe(4);
  });

  it('settles once nothing new arrived for the verdict’s settleAfterMs', async () => {
    const source = store(trace(click), trace(click, api));
    expect(await collect(watchTrace(source.read, TRACE_ID, options({ judge: judge(300), timeoutMs: 10_000 })))).toEqual(['change 1', 'change 2', 'end settled']);
    // The last change at 300 ms, reads at 400, 500, 600: settled at 600.
    expect(source.reads).toBe(5);
  });

  it('reports a store problem once, and carries on when the store is back', async () => {
    const down = new Error('the query API is unreachable (ECONNREFUSED)');
    const source = store(down, down, trace(click, api, dp));
    expect(await collect(watchTrace(source.read, TRACE_ID, options()))).toEqual([`problem ${down.message}`, 'change 3 complete', 'end complete']);
  });

  it('stops when aborted, without an end', async () => {
    const abort = new AbortController();
    const events = watchTrace(store(trace(click)).read, TRACE_ID, options({ signal: abort.signal, intervalMs: 60_000 }));
    expect((await events.next()).value).toMatchObject({ type: 'change' });
    const pending = events.next();
    abort.abort();
    expect(await pending).toEqual({ done: true, value: undefined });
  });
});

describe('waitForTrace', () => {
  it('answers the trace once `until` holds, telling each change on the way', async () => {
    const source = store(null, trace(click), trace(click, api, dp));
    const seen: number[] = [];
    const result = await waitForTrace(source.read, TRACE_ID, {
      until: (t) => t.spans.length === 3 || `${t.spans.length} spans`,
      intervalMs: 0,
      onChange: (t) => seen.push(t?.spans.length ?? 0),
    });
    expect(result).toMatchObject({ complete: true, trace: { spans: [click, api, dp] } });
    expect(seen).toEqual([0, 1, 3]);
  });

  it('answers what was missing at the deadline, and the last read problem', async () => {
    let ms = 0;
    const now = () => (ms += 100);
    expect(await waitForTrace(store(trace(click)).read, TRACE_ID, { until: () => 'no api yet', timeoutMs: 300, intervalMs: 0, now })).toEqual({
      complete: false,
      trace: trace(click),
      missing: 'no api yet',
      lastProblem: null,
    });
    ms = 0;
    expect(await waitForTrace(store(trace(click), new Error('boom')).read, TRACE_ID, { until: () => 'no api yet', timeoutMs: 300, intervalMs: 0, now })).toMatchObject({
      complete: false,
      missing: 'no api yet',
      lastProblem: 'boom',
    });
    ms = 0;
    expect(await waitForTrace(store(null).read, TRACE_ID, { timeoutMs: 300, intervalMs: 0, now })).toMatchObject({ complete: false, trace: null, missing: 'the trace has no spans yet' });
  });
});
