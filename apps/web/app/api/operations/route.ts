import { env } from '../../../env';
import { JaegerQueryClient, TraceQueryError } from '../../../lib/trace-query/jaeger-client';

/**
 * `GET /api/operations?service={service}`: `{ operations: string[] }` for the
 * search form's operation list (Jaeger's `/api/services/{service}/operations`).
 * `400` without a service, `502 { error }` when the trace store cannot answer.
 */
export async function GET(request: Request): Promise<Response> {
  const headers = { 'cache-control': 'no-store' };
  const service = new URL(request.url).searchParams.get('service')?.trim() ?? '';
  if (service === '') {
    return Response.json({ error: 'service is required' }, { status: 400, headers });
  }
  try {
    const operations = await new JaegerQueryClient({ baseUrl: env.traceQueryUrl }).operations(service);
    return Response.json({ operations }, { headers });
  } catch (error) {
    if (!(error instanceof TraceQueryError)) throw error;
    return Response.json({ error: error.message }, { status: 502, headers });
  }
}
