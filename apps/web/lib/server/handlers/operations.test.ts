import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseWebEnv } from '@/env';
import { closedPortUrl, sendJson, startStubServer, type StubServer } from '@/test/http-stub';
import { operationsRoute } from './operations';

let store: StubServer;

beforeAll(async () => {
  store = await startStubServer((request, response) => {
    if (request.path === '/api/services/web-ui/operations') {
      sendJson(response, 200, { data: ['process click', 'documentLoad'], total: 2, limit: 0, offset: 0, errors: null });
    } else {
      sendJson(response, 500, { data: null, total: 0, limit: 0, offset: 0, errors: [{ code: 500, msg: 'boom' }] });
    }
  });
});

afterAll(async () => {
  await store.close();
});

const routeFor = (traceQueryUrl: string) => operationsRoute(parseWebEnv({ TRACE_QUERY_URL: traceQueryUrl }));

describe('GET /api/operations', () => {
  it("answers the service's operations, sorted", async () => {
    const route = routeFor(store.url);
    const response = await route(new Request('http://web.test/api/operations?service=web-ui'));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ operations: ['documentLoad', 'process click'] });
  });

  it('wants a service', async () => {
    const route = routeFor(store.url);
    expect((await route(new Request('http://web.test/api/operations'))).status).toBe(400);
  });

  it('answers 502 with the reason when the store fails or is down', async () => {
    const route = routeFor(store.url);
    const failed = await route(new Request('http://web.test/api/operations?service=other'));
    expect([failed.status, ((await failed.json()) as { error: string }).error]).toEqual([502, expect.stringMatching(/answered 500.*boom/)]);

    const downRoute = routeFor(await closedPortUrl());
    const down = await downRoute(new Request('http://web.test/api/operations?service=web-ui'));
    expect([down.status, ((await down.json()) as { error: string }).error]).toEqual([502, expect.stringMatching(/unreachable/)]);
  });
});
