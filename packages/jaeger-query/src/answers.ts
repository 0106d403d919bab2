import type { z } from 'zod';
import { traceLogsAnswer } from './logs.js';
import { metricFamilySchema, minStepAnswer } from './metrics.js';
import {
  v1DependenciesAnswer,
  v1ErrorAnswer,
  v1LegacyOperationsAnswer,
  v1OperationsAnswer,
  v1ServicesAnswer,
  v1TracesAnswer,
} from './v1.js';
import { v3ErrorAnswer, v3OperationsAnswer, v3ServicesAnswer, v3TraceSummariesAnswer, v3TracesAnswer } from './v3.js';

/**
 * The schema of the answer to one query API request, by endpoint and status:
 * the one table both sides check answers against, this package's tests on
 * the real Jaeger's recorded answers and the embedded store's tests on its
 * own, so a shape that drifts fails on both. `request` is `METHOD path?query`
 * (the method is not needed, only accepted so recorded requests pass as
 * they are); undefined for a path that is no query API endpoint.
 */
export function answerSchemaFor(request: string, status: number): z.ZodType | undefined {
  const target = request.includes(' ') ? request.slice(request.indexOf(' ') + 1) : request;
  const path = new URL(target, 'http://jaeger').pathname;
  const v3 = path.startsWith('/api/v3/');
  if (!path.startsWith('/api/')) return undefined;
  if (status >= 400) return v3 ? v3ErrorAnswer : v1ErrorAnswer;
  if (path === '/api/services') return v1ServicesAnswer;
  if (/^\/api\/services\/[^/]+\/operations$/.test(path)) return v1LegacyOperationsAnswer;
  if (path === '/api/operations') return v1OperationsAnswer;
  if (path === '/api/dependencies') return v1DependenciesAnswer;
  if (/^\/api\/traces\/[^/]+\/logs$/.test(path)) return traceLogsAnswer;
  if (path === '/api/traces' || /^\/api\/traces\/[^/]+$/.test(path) || path === '/api/transform') return v1TracesAnswer;
  if (path === '/api/metrics/minstep') return minStepAnswer;
  if (/^\/api\/metrics\/(calls|errors|latencies)$/.test(path)) return metricFamilySchema;
  if (path === '/api/v3/services') return v3ServicesAnswer;
  if (path === '/api/v3/operations') return v3OperationsAnswer;
  if (path === '/api/v3/trace-summaries') return v3TraceSummariesAnswer;
  if (path === '/api/v3/traces' || /^\/api\/v3\/traces\/[^/]+$/.test(path)) return v3TracesAnswer;
  return undefined;
}
