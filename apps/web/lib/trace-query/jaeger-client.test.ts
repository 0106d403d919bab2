import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { closedPortUrl, sendJson, startStubServer, type StubServer } from '../../test/http-stub';
import { JaegerQueryClient, TraceQueryError } from './jaeger-client';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const NOW_US = 1_700_000_000_000_000;

const jaegerTrace = (traceID: string, startTime: number) => ({
  traceID,
  spans: [
    { traceID, spanID: 'aaaaaaaaaaaaaaaa', operationName: 'root', references: [], startTime, duration: 10, tags: [], logs: [], processID: 'p1', warnings: null },
  ],
  processes: { p1: { serviceName: 'web-ui', tags: [] } },
  warnings: null,
});

let jaeger: StubServer;
let client: JaegerQueryClient;

beforeAll(async () => {
  // Answers like Jaeger's query service, in its envelope.
  jaeger = await startStubServer((request, response) => {
    const url = new URL(request.path, 'http://stub');
    if (url.pathname === '/api/services') {
      sendJson(response, 200, { data: ['web-ui', 'data-processor', 'frontend-api'], total: 3, limit: 0, offset: 0, errors: null });
    } else if (url.pathname === '/api/services/my%20svc/operations') {
      sendJson(response, 200, { data: ['b', 'a'], errors: null });
    } else if (url.pathname === '/api/traces') {
      if (url.searchParams.get('service') === 'broken') {
        sendJson(response, 400, { data: null, errors: [{ code: 400, msg: 'parse error: bad tags' }] });
      } else {
        sendJson(response, 200, { data: [jaegerTrace('1'.repeat(32), 100), jaegerTrace('2'.repeat(32), 300)], errors: null });
      }
    } else if (url.pathname === `/api/traces/${TRACE_ID}`) {
      sendJson(response, 200, { data: [jaegerTrace(TRACE_ID, 5)], errors: null });
    } else if (url.pathname === '/api/traces/0000000000000000000000000000dead') {
      response.writeHead(200, { 'content-type': 'text/html' }).end('<html>not jaeger</html>');
    } else if (url.pathname.startsWith('/api/traces/')) {
      sendJson(response, 404, { data: null, errors: [{ code: 404, msg: 'trace not found' }] });
    } else {
      sendJson(response, 404, {});
    }
  });
  client = new JaegerQueryClient({ baseUrl: `${jaeger.url}/`, nowUs: () => NOW_US });
});

afterAll(async () => {
  await jaeger.close();
});

beforeEach(() => {
  jaeger.reset();
});

describe('JaegerQueryClient', () => {
  it('lists services and operations, sorted', async () => {
    expect(await client.services()).toEqual(['data-processor', 'frontend-api', 'web-ui']);
    expect(await client.operations('my svc')).toEqual(['a', 'b']);
  });

  it('searches with the Jaeger v1 parameters and answers newest first', async () => {
    const traces = await client.findTraces({
      service: 'web-ui',
      operation: 'process click',
      tags: { 'user.name': 'alice' },
      minDuration: '1ms',
      maxDuration: '2s',
      lookbackUs: 3_600_000_000,
      limit: 20,
    });
    expect(traces.map((t) => t.traceId)).toEqual(['2'.repeat(32), '1'.repeat(32)]);
    const sent = new URL(jaeger.received[0]?.path ?? '', 'http://stub').searchParams;
    expect(Object.fromEntries(sent)).toEqual({
      service: 'web-ui',
      operation: 'process click',
      tags: '{"user.name":"alice"}',
      minDuration: '1ms',
      maxDuration: '2s',
      start: String(NOW_US - 3_600_000_000),
      end: String(NOW_US),
      limit: '20',
    });
  });

  it('reads one trace, and null when the store has none', async () => {
    expect((await client.getTrace(TRACE_ID.toUpperCase()))?.spans[0]?.service).toBe('web-ui');
    expect(await client.getTrace('ffffffffffffffffffffffffffffffff')).toBeNull();
  });

  it('refuses what is not a trace id without asking the store', async () => {
    await expect(client.getTrace('../services')).rejects.toThrow(/not a trace id/);
    expect(jaeger.received).toHaveLength(0);
  });

  it("reports the store's error message", async () => {
    await expect(client.findTraces({ service: 'broken', tags: {}, lookbackUs: 1, limit: 1 })).rejects.toThrow(
      /answered 400 to \/api\/traces: parse error: bad tags/,
    );
  });

  it('says so when the answer is not Jaeger JSON', async () => {
    await expect(client.getTrace('0000000000000000000000000000dead')).rejects.toThrow(/not Jaeger v1 JSON/);
  });

  it('says which store is unreachable and why', async () => {
    const url = await closedPortUrl();
    const down = new JaegerQueryClient({ baseUrl: url });
    const failure = await down.services().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TraceQueryError);
    expect(String(failure)).toContain(`the trace store at ${url} is unreachable (ECONNREFUSED)`);
  });

  it('gives up after its deadline', async () => {
    const hung = await startStubServer(() => {
      // never answers
    });
    try {
      const slow = new JaegerQueryClient({ baseUrl: hung.url, timeoutMs: 100 });
      await expect(slow.services()).rejects.toThrow(/did not answer within 100 ms/);
    } finally {
      await hung.close();
    }
  });
});
