import { expect, test } from '../fixtures/stack.js';
import { bigTraceRequest, otlpRequest, postSpans, randomSpanId, randomTraceId } from '../fixtures/otlp.js';
import { HomePage } from '../pages/home-page.js';
import { TracePage } from '../pages/trace-page.js';
import { TraceSearchPage } from '../pages/trace-search-page.js';

/**
 * The trace viewer reads the spans one click produces back from the store
 * (… = spans in between are allowed):
 *
 *   web-ui          process click                      user.name
 *   web-ui          └─ GET                             [client]
 *   frontend-api       └─ GET /api/process/[name]      [server]
 *   frontend-api          └─ … process-data-logic      user.name
 *   data-processor           └─ … GET /data/:name      [server]
 *   data-processor                └─ … process-data-internal   data.input_name; ERROR for charlie_error
 */
const CLICK_ROWS = [
  /web-ui\s*process click/,
  /web-ui\s*GET/,
  /frontend-api\s*GET \/api\/process\/\[name\]/,
  /frontend-api\s*process-data-logic/,
  /data-processor\s*GET \/data\/:name/,
  /data-processor\s*process-data-internal/,
];

/** Clicks a preset and waits for the live waterfall to have all three services. */
async function processAndWait(home: HomePage, name: string): Promise<string> {
  await home.processPreset(name);
  await expect(home.traceId).toHaveText(/[0-9a-f]{32}/);
  await expect(home.waterfallStatus).toHaveText(/^Complete: \d+ spans from 3 services/);
  return home.shownTraceId();
}

test.describe('the waterfall', () => {
  test('"Process alice" shows its trace under the result, all three services in parent order', async ({ page }) => {
    const home = new HomePage(page);
    await home.goto();
    await home.processPreset('alice');
    await expect(page.getByTestId('result')).toContainText('alice');
    await expect(home.waterfall).toBeVisible();
    await expect(home.waterfallStatus).toHaveText(/^Complete: \d+ spans from 3 services/);
    await expect(home.waterfallRows).toContainText(CLICK_ROWS);
    const traceId = await home.shownTraceId();
    await expect(home.fullTraceLink).toHaveAttribute('href', `/traces/${traceId}`);
  });

  test('the trace page shows the span picked in the timeline, deep-linked with ?span=', async ({ page }, testInfo) => {
    const home = new HomePage(page);
    await home.goto();
    const traceId = await processAndWait(home, 'alice');

    await home.fullTraceLink.click();
    await expect(page).toHaveURL(new RegExp(`/traces/${traceId}$`));
    const trace = new TracePage(page);
    await expect(trace.heading).toHaveText('web-ui: process click');
    await trace.row(/process-data-internal/).click();
    await expect(trace.detailsHeading).toHaveText('process-data-internal');
    await expect(trace.attribute('data.input_name')).toHaveText('alice');
    await expect(page).toHaveURL(new RegExp(`/traces/${traceId}\\?span=[0-9a-f]{16}$`));

    await page.reload();
    await expect(trace.detailsHeading).toHaveText('process-data-internal');
    await expect(trace.row(/process-data-internal/)).toHaveAttribute('aria-selected', 'true');

    const screenshot = testInfo.outputPath('trace-page.png');
    await page.screenshot({ path: screenshot, fullPage: true });
    await testInfo.attach('trace page', { path: screenshot, contentType: 'image/png' });
  });

  test('rows are reached, opened and closed from the keyboard', async ({ page }) => {
    const home = new HomePage(page);
    await home.goto();
    const traceId = await processAndWait(home, 'bob');
    const trace = new TracePage(page);
    await trace.goto(traceId);

    const root = trace.row(/web-ui\s*process click/);
    await root.click();
    await expect(root).toBeFocused();
    await expect(root).toHaveAttribute('aria-expanded', 'true');
    await page.keyboard.press('ArrowLeft');
    await expect(root).toHaveAttribute('aria-expanded', 'false');
    await expect(trace.renderedRows).toHaveCount(1);
    await page.keyboard.press('Space');
    await expect(root).toHaveAttribute('aria-expanded', 'true');
    await page.keyboard.press('ArrowRight');
    const fetchRow = trace.row(/web-ui\s*GET/);
    await expect(fetchRow).toBeFocused();
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await expect(trace.renderedRows.last()).toBeFocused();
    await expect(trace.renderedRows.last()).toHaveAttribute('aria-selected', 'true');
    await page.keyboard.press('Home');
    await expect(root).toBeFocused();
  });

  test('"Process charlie_error" marks the data-processor span as where the error started', async ({ page }) => {
    const home = new HomePage(page);
    await home.goto();
    await home.processPreset('charlie_error');
    await expect(home.alert).toContainText(/[0-9a-f]{32}/);
    await expect(home.waterfallStatus).toHaveText(/^Complete: .* with errors/);
    await expect(home.waterfallRows.filter({ hasText: 'process-data-internal' })).toContainText('error origin');
    const traceId = await home.shownTraceId();

    const trace = new TracePage(page);
    await trace.goto(traceId);
    await expect(trace.errorOrigin).toContainText('data-processor: process-data-internal');
    await expect(trace.errorOrigin).toContainText('Simulated data processing error!');
    const internal = trace.row(/data-processor\s*process-data-internal/);
    await expect(internal).toContainText('error origin');
    // Its callers failed because of it: marked as errors, not as origins.
    await expect(trace.row(/data-processor\s*GET \/data\/:name/)).toContainText('error');
    await expect(trace.timeline.getByText('error origin')).toHaveCount(1);

    await trace.errorOrigin.getByRole('button').click();
    await expect(trace.detailsHeading).toHaveText('process-data-internal');
    // Events only: the span's error log line mentions the exception too.
    await expect(trace.events.filter({ hasText: 'exception' })).toContainText('Simulated data processing error!');
  });

  test('/traces finds a trace by tag user.name=alice and not the others', async ({ page }) => {
    const home = new HomePage(page);
    await home.goto();
    const bobId = await processAndWait(home, 'bob');
    const aliceId = await processAndWait(home, 'alice');

    const search = new TraceSearchPage(page);
    await search.goto();
    await search.search({ service: 'frontend-api', tags: 'user.name=alice' });
    await expect(page).toHaveURL(/tags=user\.name%3Dalice/);
    await expect(search.result(aliceId)).toBeVisible();
    await expect(search.result(aliceId)).toContainText('web-ui: process click');
    await expect(search.result(bobId)).toHaveCount(0);
    await expect(search.plot.getByRole('link')).toHaveCount(await search.results.count());

    await search.result(aliceId).getByRole('link', { name: 'web-ui: process click' }).click();
    await expect(page).toHaveURL(new RegExp(`/traces/${aliceId}$`));
    await expect(new TracePage(page).heading).toHaveText('web-ui: process click');
  });

  test('span data is shown as text: markup in names and attributes never runs', async ({ page, stack }) => {
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    const markup = '<img src=x onerror=alert(1)>';
    const traceId = randomTraceId();
    const [root, child, lost] = [randomSpanId(), randomSpanId(), randomSpanId()];
    // A root, a child from another clock that seems to start before it, and a
    // span whose parent never arrives.
    await postSpans(
      stack.otlpUrl,
      otlpRequest(traceId, Date.now() - 5_000, {
        'probe-ui': [
          { spanId: root, name: 'render <b>page</b>', startMs: 100, durationMs: 200, attributes: { 'user.comment': markup } },
        ],
        'probe-api': [
          {
            spanId: child,
            parentSpanId: root,
            name: '<script>alert(2)</script>',
            startMs: 50,
            durationMs: 100,
            error: 'failed',
            events: [{ name: 'exception', atMs: 120, attributes: { 'exception.message': markup, 'exception.stacktrace': `Error: ${markup}\n    at probe (probe.js:1:1)` } }],
          },
          { spanId: lost, parentSpanId: randomSpanId(), name: 'late arrival', startMs: 150, durationMs: 10 },
        ],
      }),
    );

    const trace = new TracePage(page);
    await trace.goto(traceId, root);
    await expect(trace.heading).toHaveText('probe-ui: render <b>page</b>');
    await expect(trace.attribute('user.comment')).toHaveText(markup);
    await trace.row(/<script>alert\(2\)<\/script>/).click();
    await expect(trace.detailsHeading).toHaveText('<script>alert(2)</script>');
    await expect(trace.details).toContainText(`Error: ${markup}`);
    // It seemed to start before its parent: moved inside it, and says so.
    await expect(trace.row(/<script>/)).toContainText('skew');
    await expect(trace.details).toContainText('Clock skew: recorded on another clock than its parent and shifted by +');
    await expect(trace.row(/late arrival/)).toContainText('missing parent');
    await expect(trace.notes).toContainText('missing parent');

    await expect(page.locator('img')).toHaveCount(0);
    await expect(page.locator('main script, main b')).toHaveCount(0);
    expect(dialogs).toEqual([]);
  });

  test('a 5,000-span trace renders only the rows in view and stays navigable', async ({ page, stack }) => {
    const traceId = randomTraceId();
    await postSpans(stack.otlpUrl, bigTraceRequest(traceId, 5_000));

    const trace = new TracePage(page);
    await trace.goto(traceId);
    await expect(trace.timeline).toHaveAttribute('aria-rowcount', '5001');
    await expect.poll(() => trace.renderedRows.count(), { message: 'rows in the DOM' }).toBeLessThan(200);

    await trace.renderedRows.first().click();
    await page.keyboard.press('End');
    const last = trace.renderedRows.last();
    await expect(last).toBeFocused();
    await expect(last).toHaveAttribute('aria-rowindex', '5001');
    await page.keyboard.press('Enter');
    await expect(trace.detailsHeading).toHaveText(/^span-\d+$/);
  });
});
