import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseWebEnv } from '@/env';
import { sendJson, startStubServer, type StubServer } from '@/test/http-stub';
import { liveTraceRoute } from './live-trace';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';

/** A click's trace in Jaeger v1 JSON: one span from each of the three services. */
const jaegerSpan = (spanID: string, parent: string | null, processID: string, startTime: number, duration: number) => ({
  traceID: TRACE_ID,
  spanID,
  operationName: `op-${spanID}`,
  references: parent === null ? [] : [{ refType: 'CHILD_OF', traceID: TRACE_ID, spanID: parent }],
  startTime,
  duration,
  tags: [],
  logs: [],
  processID,
  warnings: null,
});
const CLICK_TRACE = {
  traceID: TRACE_ID,
  spans: [
    jaegerSpan('000000000000000a', null, 'p1', 1_000, 900),
    jaegerSpan('000000000000000b', '000000000000000a', 'p2', 1_100, 700),
    jaegerSpan('000000000000000c', '000000000000000b', 'p3', 1_200, 500),
  ],
  processes: {
    p1: { serviceName: 'web-ui', tags: [] },
    p2: { serviceName: 'frontend-api', tags: [] },
    p3: { serviceName: 'data-processor', tags: [] },
  },
  warnings: null,
};

let store: StubServer;

beforeAll(async () => {
  store = await startStubServer((request, response) => {
    if (request.path === `/api/traces/${TRACE_ID}`) {
      sendJson(response, 200, { data: [CLICK_TRACE], total: 0, limit: 0, offset: 0, errors: null });
    } else {
      sendJson(response, 404, { data: null, total: 0, limit: 0, offset: 0, errors: [{ code: 404, msg: 'trace not found' }] });
    }
  });
});

afterAll(async () => {
  await store.close();
});

const routeWith = (vars: Record<string, string>) => liveTraceRoute(parseWebEnv({ TRACE_QUERY_URL: store.url, ...vars }));

/** The stream's events as `[event, data]` pairs. */
async function readEvents(response: Response): Promise<[string, Record<string, unknown>][]> {
  const text = await response.text();
  return text
    .split('\n\n')
    .filter((block) => block !== '')
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? '';
      const data = /^data: (.*)$/m.exec(block)?.[1] ?? 'null';
      return [event, JSON.parse(data) as Record<string, unknown>];
    });
}

describe('GET /api/traces/{traceId}/live', () => {
  it('streams the trace until all three services are in, as server-sent events', async () => {
    const route = routeWith({ JAEGER_UI_URL: 'http://jaeger.test:16686/' });
    const response = await route(new Request(`http://web.test/api/traces/${TRACE_ID}/live`), {
      params: Promise.resolve({ traceId: TRACE_ID.toUpperCase() }),
    });
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(response.headers.get('cache-control')).toContain('no-transform');
    const events = await readEvents(response);
    expect(events.map(([event]) => event)).toEqual(['links', 'snapshot', 'end']);
    expect(events[0]?.[1]).toEqual({ type: 'links', jaegerUrl: `http://jaeger.test:16686/trace/${TRACE_ID}` });
    expect(events[1]?.[1]).toMatchObject({
      type: 'snapshot',
      snapshot: { traceId: TRACE_ID, complete: true, spanCount: 3, services: ['web-ui', 'frontend-api', 'data-processor'] },
    });
    expect(events[2]?.[1]).toEqual({ type: 'end', reason: 'complete' });
  });

  it('has no Jaeger link without JAEGER_UI_URL', async () => {
    const route = routeWith({});
    const response = await route(new Request('http://web.test/'), { params: Promise.resolve({ traceId: TRACE_ID }) });
    expect((await readEvents(response))[0]?.[1]).toEqual({ type: 'links', jaegerUrl: null });
  });

  it('refuses what is not a trace id', async () => {
    const route = routeWith({});
    const response = await route(new Request('http://web.test/'), { params: Promise.resolve({ traceId: 'nope' }) });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: '"nope" is not a trace id (1 to 32 hex digits)' });
  });

  it('ends the stream as soon as the browser goes away', async () => {
    const route = routeWith({});
    const browser = new AbortController();
    // A trace that never arrives: without the abort the stream would run for
    // its 15 s deadline, past this test's timeout.
    const response = await route(new Request('http://web.test/', { signal: browser.signal }), {
      params: Promise.resolve({ traceId: 'ffffffffffffffffffffffffffffffff' }),
    });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = '';
    while (!text.includes('event: snapshot')) text += decoder.decode((await reader.read()).value);
    browser.abort();
    let done = false;
    while (!done) {
      const chunk = await reader.read();
      done = chunk.done;
      text += decoder.decode(chunk.value);
    }
    expect(text).not.toContain('event: end');
  });
});
