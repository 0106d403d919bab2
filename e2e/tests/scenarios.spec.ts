import { endOf, spanAttribute, type Trace, type TraceSpan } from '@tracelens/jaeger-query/model';
import { describeTrace, findSpan, hasChain, waitForTrace, type ChainStep } from '@tracelens/trace-testing';
import { expect, test } from '../fixtures/stack.js';
import { ScenariosPanel } from '../pages/scenarios-panel.js';

/** Every scenario trace starts the same way: the browser click, its fetch, Next's server span. */
const clickThen = (route: RegExp, ...rest: ChainStep[]): ChainStep[] => [
  { service: 'web-ui', name: 'scenario click' },
  { service: 'web-ui', name: /^(HTTP )?GET$/, kind: 'client' },
  { service: 'frontend-api', name: route, kind: 'server' },
  ...rest,
];

const spansNamed = (trace: Trace, service: string, name: string): TraceSpan[] =>
  trace.spans.filter((s) => s.service === service && s.name === name);

test.describe('scenarios: each button is a real code path across the tiers', () => {
  // web-ui          scenario click (×5, one trace each)
  // frontend-api      └─ … scenario contention
  // frontend-api           └─ fetch GET …/scenarios/contention/{name}
  // data-processor              └─ GET /scenarios/contention/:name
  // data-processor                   ├─ … wait for connection   grows with the queue
  // data-processor                   └─ … use connection        ~100 ms
  test('contention: under 5 concurrent requests some request waits longer than it works', async ({ page, stack }) => {
    const panel = new ScenariosPanel(page);
    await panel.goto();
    await panel.fireLoad('contention', 5);
    await expect(panel.slowestItems).toHaveCount(5);

    const chain = clickThen(
      /^GET \/api\/scenarios\/contention\/\[name\]/,
      { service: 'frontend-api', name: 'scenario contention', descendant: true },
      { service: 'frontend-api', name: /^fetch GET .*\/scenarios\/contention\//, kind: 'client' },
      { service: 'data-processor', name: 'GET /scenarios/contention/:name', kind: 'server' },
      { service: 'data-processor', name: 'use connection', descendant: true },
    );
    const seen: string[] = [];
    let longerWait = false;
    for (const item of await panel.slowestItems.all()) {
      const trace = await waitForTrace(stack.jaeger, await panel.traceIdIn(item), { until: hasChain(chain) });
      const wait = findSpan(trace, 'data-processor', 'wait for connection');
      const use = findSpan(trace, 'data-processor', 'use connection');
      seen.push(`${trace.traceId}: wait ${wait.durationUs} µs, use ${use.durationUs} µs`);
      longerWait ||= wait.durationUs > use.durationUs;
    }
    expect(longerWait, `no trace waited longer than it worked:\n${seen.join('\n')}`).toBe(true);
  });

  // frontend-api  … fan-out                    fanout.batch_size=6, fanout.concurrency=3
  // frontend-api        ├─ process item × 6    overlapping siblings, ≤ 3 at once
  // frontend-api        │    └─ fetch GET …/data/{name} → data-processor GET /data/:name
  test('fan-out: the process item siblings overlap in time', async ({ page, stack }) => {
    const panel = new ScenariosPanel(page);
    await panel.goto();
    await panel.run('fanout');
    await expect(panel.result('fanout')).toContainText('6 items, 0 failed');
    const traceId = await panel.traceIdIn(panel.result('fanout'));

    const chain = clickThen(
      /^GET \/api\/scenarios\/fanout/,
      { service: 'frontend-api', name: 'fan-out', descendant: true },
      { service: 'frontend-api', name: 'process item' },
    );
    const trace = await waitForTrace(stack.jaeger, traceId, {
      until: (view) => {
        const chained = hasChain(chain)(view);
        if (chained !== true) return chained;
        const items = spansNamed(view, 'frontend-api', 'process item').length;
        return items === 6 ? true : `${items} of 6 process item spans so far`;
      },
    });
    const fanOut = findSpan(trace, 'frontend-api', 'fan-out');
    const items = spansNamed(trace, 'frontend-api', 'process item');
    expect(items.every((s) => s.parentSpanId === fanOut.spanId), describeTrace(trace)).toBe(true);
    expect(spanAttribute(fanOut, 'fanout.concurrency')).toBe(3);
    const overlapping = items.some((a) => items.some((b) => a !== b && a.startUs < endOf(b) && b.startUs < endOf(a)));
    expect(overlapping, `no two process item spans overlap:\n${describeTrace(trace)}`).toBe(true);
  });

  // data-processor  GET /scenarios/flaky/:name                  ERROR (502)
  // data-processor    └─ … call inventory                        retry.outcome=exhausted
  // data-processor         ├─ inventory attempt  retry.attempt=1 … 4, each failing
  test('flaky: with failureRate=1 every retry is an inventory attempt span and the answer is 502', async ({ page, stack }) => {
    const panel = new ScenariosPanel(page);
    await panel.goto();
    await panel.failureRateInput.fill('1');
    await panel.run('flaky');
    await expect(panel.result('flaky')).toContainText('502');
    const traceId = await panel.traceIdIn(panel.result('flaky'));

    const trace = await waitForTrace(stack.jaeger, traceId, {
      until: (view) => {
        const attempts = spansNamed(view, 'data-processor', 'inventory attempt').length;
        return attempts >= 4 && view.spans.some((s) => s.name === 'scenario click') ? true : `${attempts} inventory attempt spans so far`;
      },
    });
    const attempts = spansNamed(trace, 'data-processor', 'inventory attempt')
      .map((s) => spanAttribute(s, 'retry.attempt'))
      .sort();
    expect(attempts, describeTrace(trace)).toEqual([1, 2, 3, 4]);
    expect(findSpan(trace, 'frontend-api', 'scenario flaky').error).toBe(true);
    expect(findSpan(trace, 'web-ui', 'scenario click').error).toBe(true);
  });

  // frontend-api  … scenario timeout   ERROR, timeout.cut_off=true, timeout.deadline_ms=300, exception
  // frontend-api       └─ fetch GET …/scenarios/slow/{name}?delayMs=2000   (aborted)
  test('timeout: the deadline cuts the slow call off, the span says so and the page shows 504', async ({ page, stack }) => {
    const panel = new ScenariosPanel(page);
    await panel.goto();
    await panel.deadlineInput.fill('300');
    await panel.run('timeout');
    await expect(panel.result('timeout')).toContainText('504: the data-processor did not answer within 300 ms');
    const traceId = await panel.traceIdIn(panel.result('timeout'));

    const trace = await waitForTrace(stack.jaeger, traceId, {
      until: hasChain(clickThen(/^GET \/api\/scenarios\/timeout\/\[name\]/, { service: 'frontend-api', name: 'scenario timeout', descendant: true })),
    });
    const cut = findSpan(trace, 'frontend-api', 'scenario timeout');
    expect(cut.error, describeTrace(trace)).toBe(true);
    expect(spanAttribute(cut, 'timeout.cut_off')).toBe(true);
    expect(spanAttribute(cut, 'timeout.deadline_ms')).toBe(300);
    expect(cut.events.map((event) => event.name)).toContain('exception');
  });
});
