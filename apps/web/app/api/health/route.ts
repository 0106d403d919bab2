/** Liveness probe for Docker and the e2e harness. Not traced (see lib/server-tracing.ts). */
export function GET(): Response {
  return Response.json({ status: 'ok' }, { headers: { 'cache-control': 'no-store' } });
}
