import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readGolden } from '../test/golden.js';
import { send, startReplayServer, type ReplayServer } from '../test/replay-server.js';
import { JaegerQueryClient, JaegerQueryError } from './client.js';
import { labelOf, metricFamilySchema, metricsQueryParams } from './metrics.js';

let server: ReplayServer;

beforeAll(async () => {
  server = await startReplayServer((target, response) => {
    const url = new URL(target, 'http://stub');
    const golden = (name: string) => {
      const { status, contentType, body } = readGolden(name);
      send(response, status, body, contentType);
    };
    if (url.searchParams.get('service') === 'driver') golden('metrics-call-rate-documented.json');
    else if (url.pathname === '/api/metrics/minstep') send(response, 200, { data: 10000, total: 0, limit: 0, offset: 0, errors: null });
    else if (url.searchParams.get('service') === 'nobody') send(response, 200, { name: 'service_call_rate', type: 'GAUGE', help: 'calls/sec, grouped by service' });
    else golden('metrics-disabled.json');
  });
});
afterAll(() => server.close());

const query = { endMs: 1_700_000_000_000, lookbackMs: 60_000, stepMs: 10_000, ratePerMs: 60_000 };

describe('metrics', () => {
  it('reads the family Jaeger documents, points and labels', async () => {
    const client = new JaegerQueryClient({ baseUrl: server.url });
    const family = await client.metrics('calls', { ...query, services: ['driver'] });
    expect(family.name).toBe('service_call_rate');
    expect(family.metrics).toHaveLength(1);
    const [metric] = family.metrics;
    expect(labelOf(metric!, 'service_name')).toBe('driver');
    expect(labelOf(metric!, 'operation')).toBe('');
    expect(metric?.metricPoints.map((p) => p.gaugeValue.doubleValue)).toEqual([0.005846808321083344, 0.006960443672323934]);
  });

  it('reads an empty family (jsonpb leaves out the empty list) as no series', async () => {
    const client = new JaegerQueryClient({ baseUrl: server.url });
    expect((await client.metrics('calls', { ...query, services: ['nobody'] })).metrics).toEqual([]);
    expect(await client.metricsMinStep()).toBe(10_000);
  });

  it("throws Jaeger's 501 with its message when the backend has no metrics", async () => {
    const client = new JaegerQueryClient({ baseUrl: server.url });
    const failure = client.metrics('errors', { ...query, services: ['frontend'] });
    await expect(failure).rejects.toBeInstanceOf(JaegerQueryError);
    await expect(failure).rejects.toMatchObject({ status: 501, message: expect.stringContaining('metrics querying is currently disabled') });
  });

  it('asks with Jaeger parameter names, repeating service and spanKind', async () => {
    const params = metricsQueryParams({ ...query, services: ['a', 'b'], groupByOperation: true, spanKinds: ['server', 'client'], quantile: 0.95 });
    expect(params.getAll('service')).toEqual(['a', 'b']);
    expect(params.getAll('spanKind')).toEqual(['server', 'client']);
    expect(Object.fromEntries([...params].filter(([k]) => k !== 'service' && k !== 'spanKind'))).toEqual({
      groupByOperation: 'true',
      endTs: '1700000000000',
      lookback: '60000',
      step: '10000',
      ratePer: '60000',
      quantile: '0.95',
    });
    const client = new JaegerQueryClient({ baseUrl: server.url });
    await expect(client.metrics('latencies', { ...query, services: ['driver'] })).rejects.toThrow('a latencies query needs a quantile');
  });

  it('refuses an answer of another shape', () => {
    expect(metricFamilySchema.safeParse({ name: 'x', type: 'COUNTER' }).success).toBe(false);
    expect(metricFamilySchema.safeParse({ name: 'x', type: 'GAUGE', metrics: [{ labels: [], metricPoints: [{ gaugeValue: {}, timestamp: 'x' }] }] }).success).toBe(
      false,
    );
  });
});
