import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sendJson, startStubServer, type StubServer } from '../../test/http-stub';
import { JaegerQueryClient, TraceQueryError } from './jaeger-client';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const NO_LOGS_TRACE = '1'.repeat(32);
const BROKEN_TRACE = '2'.repeat(32);
const NOT_JSON_TRACE = '3'.repeat(32);
const BAD_RECORD_TRACE = '4'.repeat(32);

/** One record as the embedded store sends it (timestamps in microseconds). */
const record = (timestamp: number, spanID: string, body: string) => ({
  traceID: TRACE_ID.toUpperCase(),
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

let store: StubServer;
let jaeger: StubServer;

beforeAll(async () => {
  // The embedded store's logs endpoint, in Jaeger's envelope.
  store = await startStubServer((request, response) => {
    const path = new URL(request.path, 'http://stub').pathname;
    if (path === `/api/traces/${TRACE_ID}/logs`) {
      const data = [record(2_000, 'B7AD6B7169203331', 'data processed'), record(1_000, '', 'started')];
      sendJson(response, 200, { data, total: 2, limit: 0, offset: 0, errors: null });
    } else if (path === `/api/traces/${NO_LOGS_TRACE}/logs`) {
      sendJson(response, 200, { data: [], total: 0, limit: 0, offset: 0, errors: null });
    } else if (path === `/api/traces/${BROKEN_TRACE}/logs`) {
      sendJson(response, 500, { data: null, errors: [{ code: 500, msg: 'database is locked' }] });
    } else if (path === `/api/traces/${NOT_JSON_TRACE}/logs`) {
      response.writeHead(200, { 'content-type': 'text/html' }).end('<html>a UI page</html>');
    } else if (path === `/api/traces/${BAD_RECORD_TRACE}/logs`) {
      sendJson(response, 200, { data: [{ ...record(1, 'not-a-span-id', 'x') }], errors: null });
    } else {
      sendJson(response, 404, {});
    }
  });
  // A real Jaeger has no such endpoint: its router answers 404 in plain text.
  jaeger = await startStubServer((_request, response) => {
    response.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found\n');
  });
});

afterAll(async () => {
  await Promise.all([store.close(), jaeger.close()]);
});

beforeEach(() => {
  store.reset();
});

describe('JaegerQueryClient.getTraceLogs', () => {
  const client = () => new JaegerQueryClient({ baseUrl: store.url });

  it('reads the records of a trace in time order, ids in lower case, attributes as values', async () => {
    const logs = await client().getTraceLogs(TRACE_ID.toUpperCase());
    expect(store.received[0]?.path).toBe(`/api/traces/${TRACE_ID}/logs`);
    expect(logs).toEqual([
      { traceId: TRACE_ID, spanId: null, timeUs: 1_000, severityNumber: 9, severity: 'INFO', body: 'started', service: 'data-processor', attributes: [{ key: 'name', value: 'alice' }, { key: 'simulated_work_ms', value: 140 }] },
      { traceId: TRACE_ID, spanId: 'b7ad6b7169203331', timeUs: 2_000, severityNumber: 9, severity: 'INFO', body: 'data processed', service: 'data-processor', attributes: [{ key: 'name', value: 'alice' }, { key: 'simulated_work_ms', value: 140 }] },
    ]);
  });

  it('answers an empty list for a trace without logs', async () => {
    expect(await client().getTraceLogs(NO_LOGS_TRACE)).toEqual([]);
  });

  it('answers null, "keeps no logs", for a backend without the endpoint', async () => {
    expect(await new JaegerQueryClient({ baseUrl: jaeger.url }).getTraceLogs(TRACE_ID)).toBeNull();
  });

  it('fails with the reason for an error answer, an answer that is not JSON, or a bad record', async () => {
    await expect(client().getTraceLogs(BROKEN_TRACE)).rejects.toThrow(/answered 500 to \/api\/traces\/2+\/logs: database is locked/);
    await expect(client().getTraceLogs(NOT_JSON_TRACE)).rejects.toThrow(TraceQueryError);
    await expect(client().getTraceLogs(BAD_RECORD_TRACE)).rejects.toThrow(/not Jaeger v1 JSON/);
  });

  it('refuses what is not a trace id without asking the store', async () => {
    await expect(client().getTraceLogs('../../services')).rejects.toThrow(/not a trace id/);
    expect(store.received).toHaveLength(0);
  });
});
