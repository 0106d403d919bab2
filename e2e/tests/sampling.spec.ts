import { randomBytes } from 'node:crypto';
import type { JaegerQueryClient } from '@tracelens/jaeger-query';
import { describeTrace, hasServices, waitForTrace } from '@tracelens/trace-testing';
import { expect, test } from '../fixtures/stack.js';
import { HomePage } from '../pages/home-page.js';

/**
 * Head sampling at ratio 0 in all three tiers. A stack of its own: the
 * worker-scoped `stackEnv` option gives this file its own worker, so the other
 * spec files keep their always-on stack. The web app was built without these
 * variables: the browser gets its sampler from the page at request time.
 */
test.use({ stackEnv: { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0' } });

/**
 * Reads the trace for `forMs` and fails at the first span of it that shows
 * up, printing what arrived. Only meaningful after a positive control has
 * shown that spans exported later than these would have been do arrive.
 */
async function expectNoSpans(jaeger: JaegerQueryClient, traceId: string, forMs: number): Promise<void> {
  const deadline = Date.now() + forMs;
  let reads = 0;
  do {
    const trace = await jaeger.getTrace(traceId);
    reads += 1;
    if (trace !== null) {
      throw new Error(`trace ${traceId} should not have been sampled, yet the store has it:\n${describeTrace(trace)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  } while (Date.now() < deadline);
  expect(reads).toBeGreaterThan(1);
}

test.describe('head sampling', () => {
  test('at ratio 0 a click still works and none of its spans reach the store, while a sampled parent is still followed', async ({
    page,
    request,
    stack,
  }) => {
    const home = new HomePage(page);
    await home.goto();
    // Rendered per request from the server's env, not built in.
    await expect(page.locator('meta[name="tracelens-traces-sampler"]')).toHaveAttribute('content', 'parentbased_traceidratio');
    await expect(page.locator('meta[name="tracelens-traces-sampler-arg"]')).toHaveAttribute('content', '0');

    await home.processPreset('alice');
    await expect(page.getByTestId('result')).toContainText('alice');
    const unsampled = await home.shownTraceId();

    // Positive control, after the click: a request whose caller did sample
    // (traceparent flags 01) is kept by the parent-based frontend-api and
    // data-processor. Each service exports its spans in the order they end,
    // so once the control's spans are in, any span of the click would be too.
    const control = randomBytes(16).toString('hex');
    const answer = await request.get('/api/process/bob', {
      headers: { traceparent: `00-${control}-${randomBytes(8).toString('hex')}-01` },
    });
    expect(answer.status()).toBe(200);
    expect((await answer.json()).traceId).toBe(control);
    await waitForTrace(stack.jaeger, control, { until: hasServices('frontend-api', 'data-processor') });

    await expectNoSpans(stack.jaeger, unsampled, 3_000);
    // Nor a trace of another id: a backend that lost the browser's decision
    // would have started (and stored) one of its own for the click.
    const backendTraces = await stack.jaeger.findTraces({ service: 'data-processor', limit: 100 });
    expect(backendTraces.map((t) => t.traceId)).toEqual([control]);
  });
});
