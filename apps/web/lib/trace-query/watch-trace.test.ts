import { describe, expect, it } from 'vitest';
import { span, TRACE_ID } from '../../test/trace-builder';
import type { Trace } from '../trace-model/types';
import { watchTrace, type LiveEvent, type WatchOptions } from './watch-trace';

const EXPECTED = ['web-ui', 'frontend-api', 'data-processor'];

const click = span('click', { service: 'web-ui', duration: 100 });
const api = span('api', { parent: 'click', service: 'frontend-api', start: 10, duration: 80 });
const dp = span('dp', { parent: 'api', service: 'data-processor', start: 20, duration: 50 });
const trace = (...spans: Trace['spans']): Trace => ({ traceId: TRACE_ID, warnings: [], spans });

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
function options(overrides: Partial<WatchOptions> = {}): WatchOptions {
  let ms = 0;
  return { expectedServices: EXPECTED, intervalMs: 0, timeoutMs: 1_000, now: () => (ms += 100), ...overrides };
}

async function collect(events: AsyncGenerator<LiveEvent>): Promise<string[]> {
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

describe('watchTrace', () => {
  it('sends each change and ends once all services are in and one more read brought nothing new', async () => {
    const source = store(null, trace(click), trace(click, api), trace(click, api, dp));
    expect(await collect(watchTrace(source.read, TRACE_ID, options()))).toEqual([
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
    expect(await collect(watchTrace(source.read, TRACE_ID, options()))).toEqual(['snapshot 3 complete', 'snapshot 4 complete', 'end complete']);
  });

  it('ends with a timeout while services are still missing', async () => {
    const source = store(trace(click, api));
    expect(await collect(watchTrace(source.read, TRACE_ID, options({ timeoutMs: 350 })))).toEqual(['snapshot 2', 'end timeout']);
    // Deadline at 450 ms on a clock read once per loop, 100 ms apart: reads at 200, 300, 400, 500.
    expect(source.reads).toBe(4);
  });

  it('reports a store problem once, and carries on when the store is back', async () => {
    const down = new Error('the trace store at http://x is unreachable (ECONNREFUSED)');
    const source = store(down, down, trace(click, api, dp));
    expect(await collect(watchTrace(source.read, TRACE_ID, options()))).toEqual([
      `problem ${down.message}`,
      'snapshot 3 complete',
      'end complete',
    ]);
  });

  it('stops when aborted', async () => {
    const abort = new AbortController();
    const source = store(trace(click));
    const events = watchTrace(source.read, TRACE_ID, options({ signal: abort.signal, intervalMs: 60_000 }));
    expect((await events.next()).value).toMatchObject({ type: 'snapshot' });
    const pending = events.next();
    abort.abort();
    expect(await pending).toEqual({ done: true, value: undefined });
  });
});
