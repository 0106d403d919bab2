import 'server-only';
import { setTimeout as sleep } from 'node:timers/promises';
import { SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { ATTR_ERROR_TYPE } from '@opentelemetry/semantic-conventions';
import type { WebEnv } from '@/env';
import { ATTR_USER_NAME } from '@/lib/shared/attributes';
import { DataProcessorError, fetchProcessedData } from '@/lib/server/data-processor';
import { log } from '@/lib/server/log';
import { SPAN_PROCESS_DATA_LOGIC, TRACER_NAME } from '@/lib/shared/telemetry';
import { answerJson as answer, namedRoute } from '@/lib/server/route-answer';
import type { FailureAnswer, ResultAnswer } from '@/lib/shared/api';
import { traceIdOf } from '@/lib/shared/trace-context';

/** Stands for the frontend-api's own work before it asks the data-processor. */
const SIMULATED_WORK_MS = 50;

/** What the route needs from the environment. */
export type ProcessRouteEnv = Pick<WebEnv, 'dataProcessorUrl' | 'dataProcessorTimeoutMs' | 'simulatedWork'>;

/**
 * The frontend-api: `GET /api/process/{name}`.
 *
 * Next.js server span (GET /api/process/[name])
 *   └─ executing api route (app) /api/process/[name]
 *        └─ process-data-logic            user.name
 *             └─ fetch GET {DATA_PROCESSOR_URL}/data/{name}   (@vercel/otel, carries traceparent)
 *                  └─ data-processor spans
 */
export function processRoute(env: ProcessRouteEnv) {
  return namedRoute(async (name, _request, requestSpan) => {
    let logicSpan: Span | undefined;
    try {
      // The house span shape written out in full, not through lib/route-answer's
      // inSpan(): this route is the one the README points readers to copy.
      const result = await trace
        .getTracer(TRACER_NAME)
        .startActiveSpan(SPAN_PROCESS_DATA_LOGIC, { attributes: { [ATTR_USER_NAME]: name } }, async (span) => {
          logicSpan = span;
          try {
            if (env.simulatedWork) {
              await sleep(SIMULATED_WORK_MS);
            }
            const processed = await fetchProcessedData(env, name);
            log.info('data-processor answered', { name });
            return processed;
          } catch (error) {
            const failure = error instanceof Error ? error : new Error(String(error));
            // Inside the span, so the record carries its trace and span ids.
            log.warn('data-processor call failed', { name, error: failure });
            span.recordException(failure);
            span.setStatus({ code: SpanStatusCode.ERROR, message: failure.message });
            span.setAttribute(ATTR_ERROR_TYPE, failure instanceof DataProcessorError ? failure.errorType : failure.name);
            throw error;
          } finally {
            span.end();
          }
        });
      return answer(200, { name, result, traceId: traceIdOf(logicSpan) } satisfies ResultAnswer, requestSpan ?? logicSpan);
    } catch (error) {
      if (!(error instanceof DataProcessorError)) {
        throw error; // a bug of ours: Next.js answers 500 and records it on its span
      }
      // Answering 5xx is also what marks Next's root server span ERROR (see README).
      return answer(502, { error: error.message, traceId: traceIdOf(logicSpan) } satisfies FailureAnswer, requestSpan ?? logicSpan);
    }
  });
}
