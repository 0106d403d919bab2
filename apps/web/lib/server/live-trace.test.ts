import { describe, expect, it } from 'vitest';
import { span, TRACE_ID } from '@/test/trace-builder';
import type { Trace } from '@tracelens/jaeger-query/model';
import type { LiveEvent } from '@/lib/shared/api';
import { watchLiveTrace, type LiveWatchOptions } from './live-trace';

const EXPECTED = ['web-ui', 'frontend-api', 'data-processor'];

const click = span('click', { service: 'web-ui', duration: 100 });
const api = span('api', { parent: 'click', service: 'frontend-api', start: 10, duration: 80 });
const dp = span('dp', { parent: 'api', service: 'data-processor', start: 20, duration: 50 });
const trace = (...spans: Trace['spans']): Trace => ({ traceId: TRACE_ID, warnings: [], spans });

/** A click whose data-processor call was refused, as the stack records it with the data-processor down. */
function dataProcessorDown(): Trace {
  const failed = { name: 'exception', at: 60, attributes: { 'exception.message': 'fetch failed' } };
  return trace(
    span('click', { service: 'web-ui', duration: 120, error: true, attributes: { 'error.type': '502' } }),
    span('get', { parent: 'click', service: 'web-ui', kind: 'client', start: 5, duration: 100, attributes: { 'http.response.status_code': 502 } }),
    span('server', { parent: 'get', service: 'frontend-api', kind: 'server', start: 10, duration: 80, error: true }),
    span('logic', { parent: 'server', service: 'frontend-api', start: 15, duration: 60, error: true, attributes: { 'error.type': 'ECONNREFUSED' } }),
    span('fetch', { parent: 'logic', service: 'frontend-api', kind: 'client', name: 'fetch GET http://127.0.0.1:3001/data/dave', start: 50, duration: 10, error: true, events: [failed] }),
  );
}

/** Replays one answer per read (the last one repeats); an Error answer is thrown. */
function store(...answers: (Trace | null | Error)[]) {
  let reads = 0;
  return {
    read: async (): Promise<Trace | null> => {
      const answer = answers[Math.min(reads, answers.length - 1)] ?? null;
      reads += 1;
      if (answer instanceof Error) throw answer;
      return answer;
    },
    get reads() {
      return reads;
    },
  };
}

/** A clock that moves 100 ms per read, so deadlines need no real waiting. */
function options(overrides: Partial<LiveWatchOptions> = {}): LiveWatchOptions {
  let ms = 0;
  return { expectedServices: EXPECTED, intervalMs: 0, timeoutMs: 1_000, now: () => (ms += 100), ...overrides };
}

async function collect(events: AsyncGenerator<Exclude<LiveEvent, { type: 'links' }>>): Promise<string[]> {
  const out: string[] = [];
  for await (const event of events) {
    out.push(
      event.type === 'snapshot'
        ? `snapshot ${event.snapshot.spanCount}${event.snapshot.complete ? ' complete' : ''}`
        : event.type === 'problem'
          ? `problem ${event.message}`
          : `end ${event.reason}`,
    );
  }
  return out;
}

describe('watchLiveTrace', () => {
  it('sends each change and ends once all services are in and one more read brought nothing new', async () => {
    const source = store(null, trace(click), trace(click, api), trace(click, api, dp));
    expect(await collect(watchLiveTrace(source.read, TRACE_ID, options()))).toEqual([
      'snapshot 0',
      'snapshot 1',
      'snapshot 2',
      'snapshot 3 complete',
      'end complete',
    ]);
  });

  it('waits for a late batch that arrives right after the trace looked complete', async () => {
    const late = span('late', { parent: 'api', service: 'frontend-api', start: 75, duration: 1 });
    const source = store(trace(click, api, dp), trace(click, api, dp, late));
    expect(await collect(watchLiveTrace(source.read, TRACE_ID, options()))).toEqual(['snapshot 3 complete', 'snapshot 4 complete', 'end complete']);
  });

  it('ends with a timeout while the root span has not arrived', async () => {
    // The frontend-api's batch came first; the browser's, with the click, never does.
    const source = store(trace(api, dp));
    expect(await collect(watchLiveTrace(source.read, TRACE_ID, options({ timeoutMs: 350 })))).toEqual(['snapshot 2', 'end timeout']);
    // Deadline at 450 ms on a clock read once per loop, 100 ms apart: reads at 200, 300, 400, 500.
    expect(source.reads).toBe(4);
  });

  it('settles once the root span is in and nothing new arrived for settleAfterMs', async () => {
    const source = store(trace(click), trace(click, api));
    const events = watchLiveTrace(source.read, TRACE_ID, options({ settleAfterMs: 300, timeoutMs: 10_000 }));
    expect(await collect(events)).toEqual(['snapshot 1', 'snapshot 2', 'end settled']);
    // The last change at 300 ms, reads at 400, 500, 600: settled at 600.
    expect(source.reads).toBe(5);
  });

  it('does not settle while spans keep arriving', async () => {
    const late = (n: number) => span(`late${n}`, { parent: 'api', service: 'frontend-api', start: 30 + n, duration: 1 });
    const source = store(trace(click, api), trace(click, api, late(1)), trace(click, api, late(1), late(2)));
    const events = watchLiveTrace(source.read, TRACE_ID, options({ settleAfterMs: 250, timeoutMs: 10_000 }));
    expect(await collect(events)).toEqual(['snapshot 2', 'snapshot 3', 'snapshot 4', 'end settled']);
  });

  //   web-ui          process click                   ERROR
  //   web-ui          └─ GET                          502
  //   frontend-api       └─ GET /api/process/[name]   ERROR
  //   frontend-api          └─ process-data-logic     ERROR, error.type=ECONNREFUSED
  //   frontend-api             └─ fetch GET …/data/dave   ERROR "fetch failed", no child
  it('settles within settleFailedCallAfterMs when the data-processor never received the request', async () => {
    const source = store(dataProcessorDown());
    const events: LiveEvent[] = [];
    for await (const event of watchLiveTrace(source.read, TRACE_ID, options({ settleFailedCallAfterMs: 200, timeoutMs: 10_000 }))) events.push(event);
    expect(events.map((event) => (event.type === 'snapshot' ? 'snapshot' : event.type === 'end' ? `end ${event.reason}` : event.type))).toEqual([
      'snapshot',
      'end settled',
    ]);
    const first = events[0];
    expect(first?.type === 'snapshot' ? first.snapshot.shortfall : null).toEqual({
      explanation: 'The data-processor never received the request: connection refused (frontend-api: fetch GET http://127.0.0.1:3001/data/dave).',
      certain: true,
    });
  });

  it('reports a store problem once, and carries on when the store is back', async () => {
    const down = new Error('the trace store at http://x is unreachable (ECONNREFUSED)');
    const source = store(down, down, trace(click, api, dp));
    expect(await collect(watchLiveTrace(source.read, TRACE_ID, options()))).toEqual([
      `problem ${down.message}`,
      'snapshot 3 complete',
      'end complete',
    ]);
  });

  it('stops when aborted', async () => {
    const abort = new AbortController();
    const source = store(trace(click));
    const events = watchLiveTrace(source.read, TRACE_ID, options({ signal: abort.signal, intervalMs: 60_000 }));
    expect((await events.next()).value).toMatchObject({ type: 'snapshot' });
    const pending = events.next();
    abort.abort();
    expect(await pending).toEqual({ done: true, value: undefined });
  });
});
