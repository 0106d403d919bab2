import 'server-only';
import type { HealthAnswer } from '@/lib/shared/api';

/** `GET /api/health`: liveness probe for Docker and the e2e harness. Not traced (see lib/server/tracing.ts). */
export function healthRoute() {
  return function GET(): Response {
    return Response.json({ status: 'ok' } satisfies HealthAnswer, { headers: { 'cache-control': 'no-store' } });
  };
}
