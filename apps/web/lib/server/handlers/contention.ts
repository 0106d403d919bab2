import 'server-only';
import type { WebEnv } from '@/env';
import { ATTR_USER_NAME } from '@/lib/shared/attributes';
import { fetchDataProcessorJson } from '@/lib/server/data-processor';
import { answerInSpan, namedRoute } from '@/lib/server/route-answer';
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
  return namedRoute((name, _request, requestSpan) =>
    answerInSpan(requestSpan, SPAN_SCENARIO_CONTENTION, { [ATTR_USER_NAME]: name }, name, () =>
      fetchDataProcessorJson(env, `/scenarios/contention/${encodeURIComponent(name)}`),
    ),
  );
}
