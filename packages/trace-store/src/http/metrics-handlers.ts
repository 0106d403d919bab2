import { parseMetricsQuery, parseQuantile } from '../metrics/metrics-params.js';
import type { MetricType } from '../metrics/red-metrics.js';
import { wantsPrettyPrint } from '../query/v1-params.js';
import type { Reply, Route, RouteContext } from './query-api.js';

/**
 * Jaeger's metrics API (cmd/query/app/http_handler.go: latencies, calls,
 * errors, minstep), answered from the store's RED rollups where Jaeger asks
 * a Prometheus fed by the collector's span-metrics connector. A
 * MetricFamily as it is, no envelope; minstep in the v1 envelope.
 */

function family(metric: (ctx: RouteContext) => MetricType) {
  return (ctx: RouteContext): Reply => {
    // Jaeger reads the quantile first, so a bad one is the error reported even when other parameters are bad too.
    const type = metric(ctx);
    const query = parseMetricsQuery(ctx.params, Number(ctx.nowNs / 1_000_000n));
    return { body: ctx.service.metrics(type, query), pretty: wantsPrettyPrint(ctx.params) };
  };
}

const minStep = (ctx: RouteContext): Reply => ({
  body: { data: ctx.service.minStepMs(), total: 0, limit: 0, offset: 0, errors: null },
  pretty: wantsPrettyPrint(ctx.params),
});

export const METRICS_ROUTES: Route[] = [
  { method: 'GET', path: '/api/metrics/latencies', errors: 'v1', handle: family((ctx) => ({ type: 'latencies', quantile: parseQuantile(ctx.params) })) },
  { method: 'GET', path: '/api/metrics/calls', errors: 'v1', handle: family(() => ({ type: 'calls' })) },
  { method: 'GET', path: '/api/metrics/errors', errors: 'v1', handle: family(() => ({ type: 'errors' })) },
  { method: 'GET', path: '/api/metrics/minstep', errors: 'v1', handle: minStep },
];
