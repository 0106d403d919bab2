import 'server-only';
import type { WebEnv } from '@/env';
import type { FailureAnswer } from '@/lib/shared/api';
import { ATTR_FLAKY_FAILURE_RATE, ATTR_USER_NAME } from '@/lib/shared/attributes';
import { fetchDataProcessorJson } from '@/lib/server/data-processor';
import { answerInSpan, answerJson, namedRoute } from '@/lib/server/route-answer';
import { SPAN_SCENARIO_FLAKY } from '@/lib/shared/telemetry';

/** What the route needs from the environment. */
export type FlakyRouteEnv = Pick<WebEnv, 'dataProcessorUrl' | 'dataProcessorTimeoutMs'>;

/**
 * `GET /api/scenarios/flaky/{name}?failureRate=0.5`: the data-processor calls
 * a flaky downstream with retries and backoff, each attempt a span.
 * `failureRate` (0-1) is passed through; absent, the data-processor's default applies.
 *
 * Next.js server span → executing api route
 *   └─ scenario flaky                            user.name, flaky.failure_rate
 *        └─ fetch GET {DATA_PROCESSOR_URL}/scenarios/flaky/{name}?failureRate=…
 *             └─ data-processor: call inventory → inventory attempt × n
 */
export function flakyRoute(env: FlakyRouteEnv) {
  return namedRoute(async (name, request, requestSpan) => {
    const raw = new URL(request.url).searchParams.get('failureRate');
    let failureRate: number | undefined;
    if (raw !== null && raw.trim() !== '') {
      failureRate = Number(raw);
      if (!Number.isFinite(failureRate) || failureRate < 0 || failureRate > 1) {
        return answerJson(400, { error: `failureRate must be a number from 0 to 1 (got "${raw}").` } satisfies FailureAnswer, requestSpan);
      }
    }
    const query = failureRate === undefined ? '' : `?failureRate=${failureRate}`;
    return answerInSpan(
      requestSpan,
      SPAN_SCENARIO_FLAKY,
      { [ATTR_USER_NAME]: name, ...(failureRate === undefined ? {} : { [ATTR_FLAKY_FAILURE_RATE]: failureRate }) },
      name,
      () => fetchDataProcessorJson(env, `/scenarios/flaky/${encodeURIComponent(name)}${query}`),
    );
  });
}
