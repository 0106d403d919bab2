import { createServer } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readGolden } from '../test/golden.js';
import { send, startReplayServer, type ReplayServer } from '../test/replay-server.js';
import { JaegerQueryClient, JaegerQueryError } from './client.js';

const NOW_US = 1_700_000_000_000_000;
const CLICK = readGolden('v1-app-trace-click.json');
const CLICK_ID = '2c7d5eeb1ea760631585623a887c6e3e';
const UNKNOWN = '0000000000000000000000000000abcd';
const LOGS_ID = '0af7651916cd43dd8448eb211c80319c';

/** A log record as the embedded store sends it (timestamps in microseconds). */
const record = (timestamp: number, spanID: string, body: string) => ({
  traceID: LOGS_ID,
  spanID,
  timestamp,
  severityNumber: 9,
  severityText: 'INFO',
  body,
  serviceName: 'data-processor',
  attributes: [
    { key: 'name', type: 'string', value: 'alice' },
    { key: 'simulated_work_ms', type: 'int64', value: 140 },
  ],
});
const envelope = (data: unknown) => ({ data, total: 0, limit: 0, offset: 0, errors: null });

let store: ReplayServer;
let jaeger: ReplayServer;
let client: JaegerQueryClient;

beforeAll(async () => {
  // Answers as the embedded store does, with recorded answers of the real Jaeger where there is one.
  store = await startReplayServer((target, response) => {
    const url = new URL(target, 'http://stub');
    const golden = (name: string) => {
      const { status, contentType, body } = readGolden(name);
      send(response, status, body, contentType);
    };
    if (url.pathname === '/api/services') golden('v1-services.json');
    else if (url.pathname === '/api/services/my%20svc/operations') golden('v1-operations-legacy-kinds.json');
    else if (url.pathname === '/api/services/nobody/operations') golden('v1-operations-legacy-unknown-service.json');
    else if (url.pathname === '/api/traces' && url.searchParams.has('traceID')) golden('v1-trace-ids-known-and-unknown.json');
    else if (url.pathname === '/api/traces' && url.searchParams.get('service') === 'broken') golden('v1-search-malformed-limit.json');
    else if (url.pathname === '/api/traces') send(response, 200, CLICK.body);
    else if (url.pathname === `/api/traces/${CLICK_ID}`) send(response, 200, CLICK.body);
    else if (url.pathname === `/api/traces/${UNKNOWN}`) golden('v1-trace-unknown.json');
    else if (url.pathname === '/api/traces/0000000000000000000000000000dead') send(response, 200, '<html>not jaeger</html>', 'text/html');
    else if (url.pathname === `/api/traces/${LOGS_ID}/logs`) send(response, 200, envelope([record(2_000, 'b7ad6b7169203331', 'data processed'), record(1_000, '', 'started')]));
    else if (url.pathname === `/api/traces/${'1'.repeat(32)}/logs`) send(response, 200, envelope([]));
    else if (url.pathname === `/api/traces/${'2'.repeat(32)}/logs`) send(response, 500, { data: null, total: 0, limit: 0, offset: 0, errors: [{ code: 500, msg: 'database is locked' }] }, 'text/plain; charset=utf-8');
    else if (url.pathname === `/api/traces/${'4'.repeat(32)}/logs`) send(response, 200, envelope([record(1, 'not-a-span-id', 'x')]));
    else if (url.pathname === `/api/v3/traces/${CLICK_ID}`) golden('v3-app-trace-click.json');
    else if (url.pathname === `/api/v3/traces/${UNKNOWN}`) golden('v3-trace-unknown.json');
    else if (url.pathname === '/api/v3/traces' && url.searchParams.get('query.service_name') === 'no-such-service') golden('v3-search-no-match.json');
    else if (url.pathname === '/api/v3/traces' && url.searchParams.get('query.duration_min') === '5 ms') golden('v3-search-malformed-duration.json');
    else if (url.pathname === '/api/v3/trace-summaries') send(response, 200, { summaries: [{ traceId: CLICK_ID, rootServiceName: 'web-ui', rootOperationName: 'process click', spanCount: 9, errorSpanCount: 0, orphanSpanCount: 0, services: [] }] }, 'text/plain; charset=utf-8');
    else send(response, 404, { data: null, total: 0, limit: 0, offset: 0, errors: [{ code: 404, msg: 'no such endpoint' }] }, 'text/plain; charset=utf-8');
  });
  // A real Jaeger has no logs endpoint: its router answers 404 in plain text.
  jaeger = await startReplayServer((_target, response) => send(response, 404, '404 page not found\n', 'text/plain; charset=utf-8'));
  client = new JaegerQueryClient({ baseUrl: `${store.url}/`, nowUs: () => NOW_US });
});

afterAll(async () => {
  await Promise.all([store.close(), jaeger.close()]);
});

beforeEach(() => {
  store.reset();
});

describe('v1', () => {
  it('lists services and operations, sorted; none is an empty list', async () => {
    expect(await client.services()).toContain('conf-ünïcødé-サービス');
    expect(await client.operations('my svc')).toEqual(['kind client', 'kind consumer', 'kind internal', 'kind producer', 'kind server', 'kind unspecified']);
    expect(await client.operations('nobody')).toEqual([]);
  });

  it('searches with the v1 parameters, a lookback ending now', async () => {
    const traces = await client.findTraces({
      service: 'web-ui',
      operation: 'process click',
      tags: { 'user.name': 'alice' },
      minDuration: '1ms',
      maxDuration: '2s',
      lookbackUs: 3_600_000_000,
      limit: 20,
    });
    expect(traces.map((t) => t.traceId)).toEqual([CLICK_ID]);
    expect(Object.fromEntries(new URL(store.received[0] ?? '', 'http://stub').searchParams)).toEqual({
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

  it('reads one trace in the view model, and null for a 404', async () => {
    const trace = await client.getTrace(CLICK_ID.toUpperCase());
    expect(store.received[0]).toBe(`/api/traces/${CLICK_ID}`);
    expect(trace?.spans.find((span) => span.parentSpanId === null)?.name).toBe('process click');
    expect(await client.getTrace(UNKNOWN)).toBeNull();
  });

  it('reads several traces at once and names the ones Jaeger does not have', async () => {
    const { traces, missing } = await client.getTraces(['0343159030eaeb54cdb94b1a58c1d992', UNKNOWN]);
    expect(traces.map((t) => t.traceId)).toEqual(['0343159030eaeb54cdb94b1a58c1d992']);
    expect(missing).toEqual(['000000000000abcd']);
  });

  it('refuses what is not a trace id without asking the store', async () => {
    await expect(client.getTrace('../services')).rejects.toThrow(/not a trace id/);
    await expect(client.getTraceLogs('../../services')).rejects.toThrow(JaegerQueryError);
    expect(store.received).toHaveLength(0);
  });

  it("reports Jaeger's message and status for a 400", async () => {
    const failure = await client.findTraces({ service: 'broken' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(JaegerQueryError);
    expect((failure as JaegerQueryError).status).toBe(400);
    expect(String(failure)).toMatch(/GET \/api\/traces on http:\/\/127\.0\.0\.1:\d+ answered 400: strconv\.ParseInt: parsing "ten": invalid syntax/);
  });

  it('says so when the answer is not Jaeger JSON', async () => {
    await expect(client.getTrace('0000000000000000000000000000dead')).rejects.toThrow(/not Jaeger v1 JSON/);
  });
});

describe('the logs endpoint (the embedded store only)', () => {
  it('reads the records of a trace in time order, attributes as values', async () => {
    expect(await client.getTraceLogs(LOGS_ID.toUpperCase())).toEqual([
      { traceId: LOGS_ID, spanId: null, timeUs: 1_000, severityNumber: 9, severity: 'INFO', body: 'started', service: 'data-processor', attributes: [{ key: 'name', value: 'alice' }, { key: 'simulated_work_ms', value: 140 }] },
      { traceId: LOGS_ID, spanId: 'b7ad6b7169203331', timeUs: 2_000, severityNumber: 9, severity: 'INFO', body: 'data processed', service: 'data-processor', attributes: [{ key: 'name', value: 'alice' }, { key: 'simulated_work_ms', value: 140 }] },
    ]);
    expect(await client.getTraceLogs('1'.repeat(32))).toEqual([]);
  });

  it('answers null, "keeps no logs", for a backend without the endpoint', async () => {
    expect(await new JaegerQueryClient({ baseUrl: jaeger.url }).getTraceLogs(LOGS_ID)).toBeNull();
  });

  it('fails with the reason for an error answer or a bad record', async () => {
    await expect(client.getTraceLogs('2'.repeat(32))).rejects.toThrow(/answered 500: database is locked/);
    await expect(client.getTraceLogs('4'.repeat(32))).rejects.toThrow(/not Jaeger v1 JSON at data\.0\.spanID/);
  });
});

describe('api_v3', () => {
  it('reads a trace as OTLP/JSON, null for a 404', async () => {
    const data = await client.getOtlpTrace(CLICK_ID);
    expect(data?.resourceSpans.length).toBeGreaterThan(0);
    expect(await client.getOtlpTrace(UNKNOWN)).toBeNull();
  });

  it("reads a search that found nothing (api_v3's 404) as no traces, and reports a 400 with api_v3's message", async () => {
    const window = { startUs: NOW_US - 3_600_000_000, endUs: NOW_US };
    expect(await client.findOtlpTraces({ service: 'no-such-service', ...window, limit: 20 })).toEqual({ resourceSpans: [] });
    expect(Object.fromEntries(new URL(store.received[0] ?? '', 'http://stub').searchParams)).toEqual({
      'query.service_name': 'no-such-service',
      'query.start_time_min': '2023-11-14T21:13:20.000000Z',
      'query.start_time_max': '2023-11-14T22:13:20.000000Z',
      'query.num_traces': '20',
    });
    await expect(client.findOtlpTraces({ ...window, minDuration: '5 ms' })).rejects.toThrow(/answered 400: malformed parameter query\.duration_min/);
  });

  it('reads trace summaries with the camelCase parameters of Jaeger 2.20', async () => {
    const summaries = await client.traceSummaries({ service: 'web-ui', startUs: NOW_US - 1_000_000, endUs: NOW_US, limit: 5 });
    expect(summaries).toEqual([{ traceId: CLICK_ID, rootServiceName: 'web-ui', rootOperationName: 'process click', spanCount: 9, errorSpanCount: 0, orphanSpanCount: 0, services: [] }]);
    expect([...new URL(store.received[0] ?? '', 'http://stub').searchParams.keys()]).toEqual([
      'query.serviceName',
      'query.startTimeMin',
      'query.startTimeMax',
      'query.searchDepth',
    ]);
  });
});

describe('deadlines and unreachable stores', () => {
  it('says which store is unreachable and why', async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = server.address() as { port: number };
        server.close(() => resolve(free));
      });
    });
    const failure = await new JaegerQueryClient({ baseUrl: `http://127.0.0.1:${port}` }).services().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(JaegerQueryError);
    expect(String(failure)).toContain(`GET /api/services on http://127.0.0.1:${port}: the query API is unreachable (ECONNREFUSED)`);
  });

  it('gives up after its deadline', async () => {
    const hung = await startReplayServer(() => {
      // never answers
    });
    try {
      await expect(new JaegerQueryClient({ baseUrl: hung.url, timeoutMs: 100 }).services()).rejects.toThrow(/no answer within 100 ms/);
    } finally {
      await hung.close();
    }
  });
});
