import 'server-only';
import type { WebEnv } from '@/env';
import { JaegerQueryError } from '@tracelens/jaeger-query';
import { traceStore } from '@/lib/server/trace-store';
import type { FailureAnswer, OperationsAnswer } from '@/lib/shared/api';

/** What the route needs from the environment. */
export type OperationsRouteEnv = Pick<WebEnv, 'traceQueryUrl'>;

/**
 * `GET /api/operations?service={service}`: `{ operations: string[] }` for the
 * search form's operation list (Jaeger's `/api/services/{service}/operations`).
 * `400` without a service, `502 { error }` when the trace store cannot answer.
 */
export function operationsRoute(env: OperationsRouteEnv) {
  return async function GET(request: Request): Promise<Response> {
    const headers = { 'cache-control': 'no-store' };
    const service = new URL(request.url).searchParams.get('service')?.trim() ?? '';
    if (service === '') {
      return Response.json({ error: 'service is required' } satisfies FailureAnswer, { status: 400, headers });
    }
    try {
      const operations = await traceStore(env).operations(service);
      return Response.json({ operations } satisfies OperationsAnswer, { headers });
    } catch (error) {
      if (!(error instanceof JaegerQueryError)) throw error;
      return Response.json({ error: error.message } satisfies FailureAnswer, { status: 502, headers });
    }
  }
}
