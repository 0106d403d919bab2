import { trace } from '@opentelemetry/api';
import { env } from '../../../../../env';
import { ATTR_USER_NAME } from '../../../../../lib/attributes';
import { fetchDataProcessorJson } from '../../../../../lib/data-processor';
import { checkName } from '../../../../../lib/name-rule';
import { answerInSpan, answerJson, type RouteFailure } from '../../../../../lib/route-answer';
import { SPAN_SCENARIO_CONTENTION } from '../../../../../lib/telemetry';

/**
 * `GET /api/scenarios/contention/{name}`: one request for the data-processor's
 * pooled connection. Fired many at once, the `wait for connection` spans grow.
 *
 * Next.js server span → executing api route
 *   └─ scenario contention                       user.name
 *        └─ fetch GET {DATA_PROCESSOR_URL}/scenarios/contention/{name}
 *             └─ data-processor: wait for connection, use connection
 */
export async function GET(_request: Request, { params }: { params: Promise<{ name: string }> }): Promise<Response> {
  const requestSpan = trace.getActiveSpan();
  const check = checkName((await params).name);
  if (!check.ok) {
    return answerJson(400, { error: check.error } satisfies RouteFailure, requestSpan);
  }
  const { name } = check;
  return answerInSpan(requestSpan, SPAN_SCENARIO_CONTENTION, { [ATTR_USER_NAME]: name }, name, () =>
    fetchDataProcessorJson(env, `/scenarios/contention/${encodeURIComponent(name)}`),
  );
}
