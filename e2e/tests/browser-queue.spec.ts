import { spanAttribute, type Trace } from '@tracelens/jaeger-query/model';
import { describeTrace, waitForTrace } from '@tracelens/trace-testing';
import { expect, test } from '../fixtures/stack.js';

/** The fetch span of the click, with the time its request waited in the browser (ms), if recorded. */
function queuedMs(trace: Trace): number | undefined {
  const get = trace.spans.find((span) => span.service === 'web-ui' && span.kind === 'client');
  const value = get && spanAttribute(get, 'fetch.queued_ms');
  return typeof value === 'number' ? value : undefined;
}

/**
 * 20 contention requests at once from one page: Chromium sends 6 and holds
 * the rest until a connection is free, so the slowest trace's browser fetch
 * span is mostly time in the browser's queue.
 *
 *   web-ui          scenario click
 *   web-ui          └─ GET                               fetch.queued_ms: the wait before requestStart
 *   frontend-api       └─ GET /api/scenarios/contention/[name] … (starts once the request was sent)
 *   data-processor        └─ … wait for connection, use connection
 */
test('a request held in the browser is labelled "queued in the browser" and not blamed as work', async ({ page, stack }) => {
  await page.goto('/');
  const load = page.getByTestId('scenario-load');
  await expect(load.getByTestId('load-connection-limit')).toContainText('at most 6 connections');
  await load.getByLabel('Requests (N)').fill('20');
  await load.getByRole('button', { name: 'Fire load' }).click();
  const slowest = load.getByTestId('slowest-item');
  await expect(slowest).toHaveCount(5, { timeout: 30_000 });
  const traceId = /[0-9a-f]{32}/.exec((await slowest.first().textContent()) ?? '')?.[0] ?? '';

  const trace = await waitForTrace(stack.jaeger, traceId, {
    until: (view) =>
      ['web-ui', 'frontend-api', 'data-processor'].every((service) => view.spans.some((span) => span.service === service)) &&
      queuedMs(view) !== undefined
        ? true
        : 'no fetch.queued_ms on the browser fetch span, or a service missing',
  });
  // 14 requests were held behind the first 6; the slowest waited for most of them.
  expect(queuedMs(trace), describeTrace(trace)).toBeGreaterThan(300);

  await page.goto(`/traces/${traceId}`);
  const timeline = page.getByRole('treegrid', { name: 'Spans on a shared time axis' });
  const fetchRow = timeline.getByRole('row', { name: /web-ui\s*GET/ });
  await expect(fetchRow).toContainText('queued in the browser');
  await expect(page.getByTestId('largest-self-time')).not.toContainText('web-ui: GET');
  await expect(page.getByRole('table', { name: 'Self time per service' })).toContainText('queued in the browser');
  await expect(page.getByRole('region', { name: 'Summary' })).toContainText('queued in the browser');
});
