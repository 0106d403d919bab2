import { hasChain, waitForTrace, type ChainStep } from '@tracelens/trace-testing';
import { otlpLogsRequest, otlpRequest, postLogs, postSpans, randomSpanId, randomTraceId } from '../fixtures/otlp.js';
import { expect, test, type Stack } from '../fixtures/stack.js';
import { HomePage } from '../pages/home-page.js';
import { TracePage } from '../pages/trace-page.js';

/**
 * The data-processor logs one record per processed name, inside
 * `process-data-internal`, and exports it over OTLP with that span's ids:
 *
 *   data-processor  GET /data/:name     [server]
 *   data-processor  └─ … process-data-internal    log: INFO "data processed" {name, result, simulated_work_ms}
 */
const BACKEND_CHAIN: ChainStep[] = [
  { service: 'data-processor', name: 'GET /data/:name', kind: 'server' },
  { service: 'data-processor', name: 'process-data-internal', descendant: true },
];

interface StoredLog {
  spanID: string;
  body: string;
}

/** The store's records of a trace as `{spanID} {body}` lines, or why it could not answer. */
async function storedLogs(stack: Stack, traceId: string): Promise<string[] | string> {
  const response = await fetch(`${stack.queryUrl}/api/traces/${traceId}/logs`);
  if (!response.ok) return `HTTP ${response.status}: ${(await response.text()).slice(0, 200)}`;
  const { data } = (await response.json()) as { data: StoredLog[] };
  return data.map((log) => `${log.spanID} ${log.body}`);
}

// Embedded store only (tag @embedded-only, left out of the jaeger project in
// playwright.config.ts): log records are stored and served by the embedded
// store alone (OTLP /v1/logs, GET /api/traces/{id}/logs); Jaeger keeps
// traces only, so the launcher turns the apps' log export off with it.
test.describe('logs on the trace page', { tag: '@embedded-only' }, () => {
  test('"Process alice": process-data-internal shows its log line, and its row counts it', async ({ page, stack }) => {
    const home = new HomePage(page);
    await home.goto();
    await home.processPreset('alice');
    await expect(page.getByTestId('result')).toContainText('alice');
    const traceId = await home.shownTraceId();
    const trace = await waitForTrace(stack.jaeger, traceId, { until: hasChain(BACKEND_CHAIN) });
    const internal = trace.spans.find((s) => s.name === 'process-data-internal');

    // Logs go in batches of their own (every second), apart from the spans:
    // the page reads what the store has when it renders, so wait for the store first.
    await expect
      .poll(() => storedLogs(stack, traceId), { message: `the "data processed" record of span ${internal?.spanId} in the store` })
      .toContain(`${internal?.spanId} data processed`);

    const tracePage = new TracePage(page);
    await tracePage.goto(traceId);
    const row = tracePage.row(/data-processor\s*process-data-internal/);
    await expect(row).toContainText('1 log');
    await row.click();
    await expect(tracePage.detailsHeading).toHaveText('process-data-internal');
    await expect(tracePage.spanLogs).toHaveCount(1);
    // Offset from the trace start, severity (the text the logger set), body, then the attributes (key, value).
    await expect(tracePage.spanLogs.first()).toContainText(/\+[\d.]+ (µs|ms|s|min)\s+info\s+data processed/i);
    await expect(tracePage.spanLogs.first()).toContainText(/name\s*alice/);
    await expect(tracePage.spanLogs.first()).toContainText(/result\s*ALICE/);
    await expect(tracePage.traceLogs).toBeVisible();
  });

  test('records without a span in the trace are listed as trace logs, and log text never runs as markup', async ({ page, stack }) => {
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    const markup = '<img src=x onerror=alert(1)>';
    const traceId = randomTraceId();
    const root = randomSpanId();
    const startMs = Date.now() - 5_000;
    await postSpans(stack.otlpUrl, otlpRequest(traceId, startMs, { 'probe-api': [{ spanId: root, name: 'handle probe', startMs: 0, durationMs: 100 }] }));
    await postLogs(
      stack.otlpUrl,
      otlpLogsRequest(traceId, startMs, {
        'probe-api': [
          { spanId: root, atMs: 40, severityNumber: 17, severityText: 'ERROR', body: `failed: ${markup}`, attributes: { 'probe.input': markup } },
          { atMs: 10, severityNumber: 9, severityText: 'INFO', body: 'before any span' },
          { spanId: randomSpanId(), atMs: 60, severityNumber: 13, severityText: 'WARN', body: 'from a span that never arrived' },
        ],
      }),
    );
    await expect.poll(() => storedLogs(stack, traceId), { message: 'the three records in the store' }).toHaveLength(3);

    const tracePage = new TracePage(page);
    await tracePage.goto(traceId, root);
    await expect(tracePage.row(/probe-api\s*handle probe/)).toContainText('1 log');
    await expect(tracePage.spanLogs).toHaveCount(1);
    await expect(tracePage.spanLogs.first()).toContainText(`ERROR failed: ${markup}`);
    await expect(tracePage.spanLogs.first()).toContainText(markup);
    // Time order: the record before any span first.
    await expect(tracePage.traceLogs.getByRole('listitem')).toHaveText([/INFO\s*before any span/, /WARN\s*from a span that never arrived/]);

    await expect(page.locator('main img')).toHaveCount(0);
    expect(dialogs).toEqual([]);
  });
});
