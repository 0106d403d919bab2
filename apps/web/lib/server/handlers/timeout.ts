import 'server-only';
import type { WebEnv } from '@/env';
import type { FailureAnswer } from '@/lib/shared/api';
import { ATTR_TIMEOUT_CUT_OFF, ATTR_TIMEOUT_DEADLINE_MS, ATTR_TIMEOUT_DELAY_MS, ATTR_USER_NAME } from '@/lib/shared/attributes';
import { DataProcessorError, fetchDataProcessorJson } from '@/lib/server/data-processor';
import { answerInSpan, answerJson, intParam, namedRoute } from '@/lib/server/route-answer';
import { SPAN_SCENARIO_TIMEOUT } from '@/lib/shared/telemetry';

/** The data-processor's slow work when the caller does not say (milliseconds). */
const DEFAULT_DELAY_MS = 2_000;

/** Thrown inside the span when the deadline fired, so the span records *that* rather than a generic timeout. */
class CutOffError extends Error {
  override readonly name = 'CutOffError';
}

/** What the route needs from the environment. */
export type TimeoutRouteEnv = Pick<WebEnv, 'dataProcessorUrl' | 'dataProcessorTimeoutMs' | 'timeoutDeadlineMs'>;

/**
 * `GET /api/scenarios/timeout/{name}?deadlineMs=1000&delayMs=2000`: asks the
 * data-processor for `delayMs` of slow work but gives up after `deadlineMs`
 * (default `TIMEOUT_DEADLINE_MS`, 50-10000); `504` when cut off.
 *
 * Next.js server span → executing api route
 *   └─ scenario timeout     user.name, timeout.deadline_ms, timeout.delay_ms, timeout.cut_off;
 *        │                  cut off: ERROR, exception event, error.type=timeout
 *        └─ fetch GET {DATA_PROCESSOR_URL}/scenarios/slow/{name}?delayMs=…   (aborted)
 */
export function timeoutRoute(env: TimeoutRouteEnv) {
  return namedRoute(async (name, request, requestSpan) => {
    const query = new URL(request.url).searchParams;
    const deadline = intParam(query, 'deadlineMs', { min: 50, max: 10_000, fallback: env.timeoutDeadlineMs });
    const delay = intParam(query, 'delayMs', { min: 0, max: 30_000, fallback: DEFAULT_DELAY_MS });
    if (!deadline.ok || !delay.ok) {
      const error = [deadline, delay].flatMap((p) => (p.ok ? [] : [p.error])).join(' ');
      return answerJson(400, { error } satisfies FailureAnswer, requestSpan);
    }
    const deadlineMs = deadline.value;
    const delayMs = delay.value;

    return answerInSpan(
      requestSpan,
      SPAN_SCENARIO_TIMEOUT,
      { [ATTR_USER_NAME]: name, [ATTR_TIMEOUT_DEADLINE_MS]: deadlineMs, [ATTR_TIMEOUT_DELAY_MS]: delayMs, [ATTR_TIMEOUT_CUT_OFF]: false },
      name,
      async (active) => {
        try {
          return await fetchDataProcessorJson(env, `/scenarios/slow/${encodeURIComponent(name)}?delayMs=${delayMs}`, {
            timeoutMs: deadlineMs,
          });
        } catch (error) {
          if (error instanceof DataProcessorError && error.errorType === 'timeout') {
            active.setAttribute(ATTR_TIMEOUT_CUT_OFF, true);
            // Keep errorType `timeout` for error.type; the message says who cut what.
            throw new DataProcessorError(`the data-processor did not answer within ${deadlineMs} ms`, 'timeout', {
              cause: new CutOffError(`cut off after ${deadlineMs} ms`, { cause: error }),
            });
          }
          throw error;
        }
      },
      (error) => (error.errorType === 'timeout' ? 504 : 502),
    );
  });
}
