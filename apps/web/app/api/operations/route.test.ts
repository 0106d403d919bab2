import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { closedPortUrl, sendJson, startStubServer, type StubServer } from '../../../test/http-stub';

type RouteModule = typeof import('./route');

let store: StubServer;

beforeAll(async () => {
  store = await startStubServer((request, response) => {
    if (request.path === '/api/services/web-ui/operations') {
      sendJson(response, 200, { data: ['process click', 'documentLoad'], errors: null });
    } else {
      sendJson(response, 500, { data: null, errors: [{ code: 500, msg: 'boom' }] });
    }
  });
});

afterAll(async () => {
  await store.close();
});

afterEach(() => {
  vi.unstubAllEnvs();
});

async function loadRoute(traceQueryUrl: string): Promise<RouteModule> {
  vi.stubEnv('TRACE_QUERY_URL', traceQueryUrl);
  vi.resetModules();
  return import('./route');
}

describe('GET /api/operations', () => {
  it("answers the service's operations, sorted", async () => {
    const route = await loadRoute(store.url);
    const response = await route.GET(new Request('http://web.test/api/operations?service=web-ui'));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ operations: ['documentLoad', 'process click'] });
  });

  it('wants a service', async () => {
    const route = await loadRoute(store.url);
    expect((await route.GET(new Request('http://web.test/api/operations'))).status).toBe(400);
  });

  it('answers 502 with the reason when the store fails or is down', async () => {
    const route = await loadRoute(store.url);
    const failed = await route.GET(new Request('http://web.test/api/operations?service=other'));
    expect([failed.status, ((await failed.json()) as { error: string }).error]).toEqual([502, expect.stringMatching(/answered 500.*boom/)]);

    const downRoute = await loadRoute(await closedPortUrl());
    const down = await downRoute.GET(new Request('http://web.test/api/operations?service=web-ui'));
    expect([down.status, ((await down.json()) as { error: string }).error]).toEqual([502, expect.stringMatching(/unreachable/)]);
  });
});
