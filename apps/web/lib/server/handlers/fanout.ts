import 'server-only';
import { SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import type { WebEnv } from '@/env';
import type { FailureAnswer, FanoutAnswer, FanoutItem } from '@/lib/shared/api';
import { ATTR_FANOUT_BATCH_SIZE, ATTR_FANOUT_CONCURRENCY, ATTR_FANOUT_FAILED, ATTR_USER_NAME } from '@/lib/shared/attributes';
import { DataProcessorError, fetchProcessedData } from '@/lib/server/data-processor';
import { checkName } from '@/lib/shared/name-rule';
import { answerJson, inSpan } from '@/lib/server/route-answer';
import { SPAN_FAN_OUT, SPAN_PROCESS_ITEM } from '@/lib/shared/telemetry';
import { traceIdOf } from '@/lib/shared/trace-context';

/** Most names one batch may hold. */
export const FANOUT_MAX_NAMES = 20;

/** What the route needs from the environment. */
export type FanoutRouteEnv = Pick<WebEnv, 'dataProcessorUrl' | 'dataProcessorTimeoutMs' | 'fanoutConcurrency'>;

/**
 * `GET /api/scenarios/fanout?names=a,b,c`: each name through the
 * data-processor's `GET /data/{name}`, at most `FANOUT_CONCURRENCY` at once,
 * so the waterfall shows parallel children. `200 {results, traceId}` with
 * per-item failures; `502` (same body plus `error`) when every item failed.
 *
 * Next.js server span → executing api route
 *   └─ fan-out                          fanout.batch_size, fanout.concurrency, fanout.failed
 *        ├─ process item  user.name=a   ─┐ up to FANOUT_CONCURRENCY overlapping
 *        │    └─ fetch GET …/data/a      │
 *        ├─ process item  user.name=b   ─┘
 *        └─ …
 */
export function fanoutRoute(env: FanoutRouteEnv) {
  return async function GET(request: Request): Promise<Response> {
    const requestSpan = trace.getActiveSpan();
    const parsed = parseNames(new URL(request.url).searchParams.get('names'));
    if (!parsed.ok) {
      return answerJson(400, { error: parsed.error } satisfies FailureAnswer, requestSpan);
    }
    const { names } = parsed;
    const concurrency = Math.min(env.fanoutConcurrency, names.length);

    let span: Span | undefined;
    const results = await inSpan(
      SPAN_FAN_OUT,
      { [ATTR_FANOUT_BATCH_SIZE]: names.length, [ATTR_FANOUT_CONCURRENCY]: env.fanoutConcurrency },
      async (fanOut) => {
        const items = await mapBounded(names, concurrency, (name) => processItem(env, name));
        const failed = items.filter((item) => !item.ok).length;
        fanOut.setAttribute(ATTR_FANOUT_FAILED, failed);
        if (failed === items.length) {
          // Not thrown: the per-item errors are already on the children; the batch is ERROR as a whole.
          fanOut.setStatus({ code: SpanStatusCode.ERROR, message: `all ${failed} items failed` });
        }
        return items;
      },
      (started) => (span = started),
    );
    const traceId = traceIdOf(span);
    if (results.every((item) => !item.ok)) {
      return answerJson(502, { error: `all ${results.length} items failed`, results, traceId } satisfies FanoutAnswer, requestSpan ?? span);
    }
    return answerJson(200, { results, traceId } satisfies FanoutAnswer, requestSpan ?? span);
  }
}

/** One name in its own child span; a data-processor failure becomes a failed item (recorded on the span). */
async function processItem(env: FanoutRouteEnv, name: string): Promise<FanoutItem> {
  try {
    const result = await inSpan(SPAN_PROCESS_ITEM, { [ATTR_USER_NAME]: name }, () => fetchProcessedData(env, name));
    return { name, ok: true, result };
  } catch (error) {
    if (!(error instanceof DataProcessorError)) {
      throw error;
    }
    return { name, ok: false, error: error.message };
  }
}

/**
 * `work` for every item, at most `limit` running at once, results in input
 * order. Workers pull the next index, so a slow item does not hold a slot
 * that a finished one could use. Runs in the caller's context, so each
 * item's span is a child of the caller's active span.
 */
export async function mapBounded<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

function parseNames(raw: string | null): { ok: true; names: string[] } | { ok: false; error: string } {
  const names = (raw ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  if (names.length === 0) {
    return { ok: false, error: 'names is required: a comma-separated list, e.g. ?names=alice,bob.' };
  }
  if (names.length > FANOUT_MAX_NAMES) {
    return { ok: false, error: `At most ${FANOUT_MAX_NAMES} names per batch (got ${names.length}).` };
  }
  for (const name of names) {
    const check = checkName(name);
    if (!check.ok) {
      return { ok: false, error: `${JSON.stringify(name)}: ${check.error}` };
    }
  }
  return { ok: true, names };
}
