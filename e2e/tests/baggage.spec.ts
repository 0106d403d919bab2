import { spanAttribute, type TraceSpan } from '@tracelens/jaeger-query/model';
import { describeTrace, findChain, hasChain, waitForTrace } from '@tracelens/trace-testing';
import { CLICK_CHAIN } from '../fixtures/click-chain.js';
import { expect, test } from '../fixtures/stack.js';
import { HomePage } from '../pages/home-page.js';
import { TraceSearchPage } from '../pages/trace-search-page.js';

/** One line per span whose tag `key` is not `expected`, for the failure message. */
function spansWithout(spans: readonly TraceSpan[], key: string, expected: string | null): string[] {
  return spans.filter((s) => (spanAttribute(s, key) ?? null) !== expected).map((s) => `${s.service}: ${s.name} (${key}=${String(spanAttribute(s, key))})`);
}

/**
 * The click's baggage (`session.id` per tab, `user.id` per browser profile)
 * travels with the trace and is copied onto spans in every tier:
 *
 *   web-ui          process click                      session.id, user.id  (baggage set here)
 *   web-ui          └─ GET                             [client]  sends traceparent + baggage
 *   frontend-api       └─ GET /api/process/[name]      [server]  session.id, user.id  (baggage span processor)
 *   frontend-api          └─ … process-data-logic      session.id, user.id
 *   frontend-api             └─ fetch GET …/data/{name} [client]  forwards baggage
 *   data-processor              └─ GET /data/:name     [server]  session.id, user.id  (otel-node's processor)
 *   data-processor                 └─ … process-data-internal  session.id, user.id
 *
 * (the chain is CLICK_CHAIN, fixtures/click-chain.ts)
 */
test.describe('baggage from the browser', () => {
  test('"Process alice" puts the tab\'s session.id and user.id on the spans of every tier, and the trace is found by session.id', async ({
    page,
    stack,
  }) => {
    const home = new HomePage(page);
    await home.goto();
    await home.processPreset('alice');
    await expect(page.getByTestId('result')).toContainText('alice');
    const traceId = await home.shownTraceId();
    const sessionId = await home.sessionId();
    const userId = await home.userId();
    expect(sessionId).toMatch(/^[0-9a-f]{32}$/);
    expect(userId).toMatch(/^[0-9a-f]{32}$/);

    const trace = await waitForTrace(stack.jaeger, traceId, { until: hasChain(CLICK_CHAIN) });
    findChain(trace, CLICK_CHAIN);
    // Every span of the two servers, not only the chain's: each one starts under the baggage's context.
    const served = trace.spans.filter((s) => s.service === 'frontend-api' || s.service === 'data-processor');
    expect(spansWithout(served, 'session.id', sessionId), describeTrace(trace)).toEqual([]);
    expect(spansWithout(served, 'user.id', userId), describeTrace(trace)).toEqual([]);
    const [click, fetchSpan] = findChain(trace, CLICK_CHAIN);
    for (const span of [click, fetchSpan]) {
      expect(span && spanAttribute(span, 'session.id'), `${span?.service}: ${span?.name}\n${describeTrace(trace)}`).toBe(sessionId);
      expect(span && spanAttribute(span, 'user.id'), `${span?.service}: ${span?.name}\n${describeTrace(trace)}`).toBe(userId);
    }

    // The same tab keeps its session; a search by it finds the trace.
    await home.processPreset('bob');
    await expect(page.getByTestId('result')).toContainText('bob');
    expect(await home.sessionId()).toBe(sessionId);

    const search = new TraceSearchPage(page);
    await search.goto();
    await search.search({ service: 'data-processor', tags: `session.id=${sessionId}` });
    await expect(search.result(traceId)).toHaveCount(1);
  });

  test('another tab has another session.id and the same user.id', async ({ context }) => {
    const [first, second] = [new HomePage(await context.newPage()), new HomePage(await context.newPage())];
    for (const home of [first, second]) {
      await home.goto();
      await home.processPreset('alice');
      await expect(home.page.getByTestId('result')).toContainText('alice');
    }
    expect(await first.sessionId()).not.toBe(await second.sessionId());
    expect(await first.userId()).toBe(await second.userId());
  });
});
