import 'server-only';
import { trace } from '@opentelemetry/api';
import type { WebEnv } from '@/env';
import type { FailureAnswer } from '@/lib/shared/api';
import { ATTR_USER_NAME } from '@/lib/shared/attributes';
import { fetchDataProcessorJson } from '@/lib/server/data-processor';
import { checkName } from '@/lib/shared/name-rule';
import { answerInSpan, answerJson } from '@/lib/server/route-answer';
import { SPAN_SCENARIO_CONTENTION } from '@/lib/shared/telemetry';

/** What the route needs from the environment. */
export type ContentionRouteEnv = Pick<WebEnv, 'dataProcessorUrl' | 'dataProcessorTimeoutMs'>;

/**
 * `GET /api/scenarios/contention/{name}`: one request for the data-processor's
 * pooled connection. Fired many at once, the `wait for connection` spans grow.
 *
 * Next.js server span → executing api route
 *   └─ scenario contention                       user.name
 *        └─ fetch GET {DATA_PROCESSOR_URL}/scenarios/contention/{name}
 *             └─ data-processor: wait for connection, use connection
 */
export function contentionRoute(env: ContentionRouteEnv) {
  return async function GET(_request: Request, { params }: { params: Promise<{ name: string }> }): Promise<Response> {
    const requestSpan = trace.getActiveSpan();
    const check = checkName((await params).name);
    if (!check.ok) {
      return answerJson(400, { error: check.error } satisfies FailureAnswer, requestSpan);
    }
    const { name } = check;
    return answerInSpan(requestSpan, SPAN_SCENARIO_CONTENTION, { [ATTR_USER_NAME]: name }, name, () =>
      fetchDataProcessorJson(env, `/scenarios/contention/${encodeURIComponent(name)}`),
    );
  }
}
