import { randomBytes } from 'node:crypto';
import type { Locator, Page } from '@playwright/test';
import { expect, test } from '../fixtures/stack.js';

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

interface Probe {
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly service: string;
  readonly name: string;
  /** Milliseconds after the trace's start. */
  readonly startMs: number;
  readonly durationMs: number;
}

/**
 * Posts hand-made spans through the web app's own OTLP relay (as the browser
 * does), one resource per service, in OTLP/JSON. The relay answers 204 once
 * the store has them all.
 */
async function postThroughRelay(page: Page, webUrl: string, traceId: string, spans: readonly Probe[]): Promise<void> {
  const t0 = BigInt(Date.now() - 10_000) * 1_000_000n;
  const nanos = (ms: number) => (t0 + BigInt(Math.round(ms * 1_000)) * 1_000n).toString();
  const services = [...new Set(spans.map((span) => span.service))];
  const body = {
    resourceSpans: services.map((service) => ({
      resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
      scopeSpans: [
        {
          scope: { name: 'tracelens-e2e' },
          spans: spans
            .filter((span) => span.service === service)
            .map((span) => ({
              traceId,
              spanId: span.spanId,
              ...(span.parentSpanId === undefined ? {} : { parentSpanId: span.parentSpanId }),
              name: span.name,
              kind: 1,
              startTimeUnixNano: nanos(span.startMs),
              endTimeUnixNano: nanos(span.startMs + span.durationMs),
            })),
        },
      ],
    })),
  };
  const response = await page.request.post(`${webUrl}/api/otlp/v1/traces`, { data: body, headers: { 'content-type': 'application/json' } });
  expect(response.status(), await response.text()).toBe(204);
}

/** The computed colour of the swatch in the chip of `service` under `scope`. */
async function chipColor(scope: Locator, service: string): Promise<string> {
  const swatch = scope.locator('li', { hasText: service }).first().locator('[aria-hidden="true"]').first();
  return swatch.evaluate((element) => getComputedStyle(element).backgroundColor);
}

test.describe('trace view details', () => {
  test('a validation message replaces the last outcome instead of sitting above it', async ({ page }) => {
    await page.goto('/');
    const flaky = page.getByTestId('scenario-flaky');
    await flaky.getByLabel('Failure rate (0–1)').fill('0');
    await flaky.getByRole('button', { name: 'Run flaky' }).click();
    const result = page.getByTestId('scenario-flaky-result');
    await expect(result.getByTestId('scenario-summary')).toContainText('after 1 attempt');

    await flaky.getByLabel('Failure rate (0–1)').fill('2');
    await flaky.getByRole('button', { name: 'Run flaky' }).click();
    await expect(result).toHaveText('Failure rate (0–1) must be a number from 0 to 1.');
    await expect(result.getByTestId('scenario-summary')).toHaveCount(0);

    const load = page.getByTestId('scenario-load');
    await load.getByLabel('Requests (N)').fill('1');
    await load.getByRole('button', { name: 'Fire load' }).click();
    await expect(load.getByTestId('slowest-item')).toHaveCount(1);
    await load.getByLabel('Requests (N)').fill('0');
    await load.getByRole('button', { name: 'Fire load' }).click();
    await expect(page.getByTestId('scenario-load-result')).toHaveText('N must be a whole number from 1 to 50.');
  });

  //   web-ui                                        render                 root
  //   checkout-orchestration-service-eu-west-1      └─ handle checkout …
  //   …                                                └─ … 8 levels deep, long operation names
  test('the name column widens by keyboard and by pointer, and a long service name stays inside its card', async ({ page, stack }) => {
    const traceId = hex(16);
    const longService = 'checkout-orchestration-service-eu-west-1-canary';
    const spans: Probe[] = [{ spanId: hex(8), service: 'web-ui', name: 'render', startMs: 0, durationMs: 900 }];
    for (let depth = 1; depth <= 8; depth += 1) {
      const parent = spans[depth - 1] as Probe;
      spans.push({
        spanId: hex(8),
        parentSpanId: parent.spanId,
        service: depth % 2 === 0 ? 'web-ui' : longService,
        name: `handle checkout step ${depth} of the order pipeline`,
        startMs: parent.startMs + 10,
        durationMs: parent.durationMs - 40,
      });
    }
    await postThroughRelay(page, stack.webUrl, traceId, spans);

    await page.goto(`/traces/${traceId}`);
    const timeline = page.getByRole('treegrid', { name: 'Spans on a shared time axis' });
    const deepest = timeline.getByRole('row', { name: /step 8 of the order pipeline/ }).getByRole('gridcell').first();
    await expect(deepest).toBeVisible();
    const before = (await deepest.boundingBox())?.width ?? 0;

    const handle = timeline.getByRole('separator', { name: 'Width of the name column' });
    await expect(handle).toHaveAttribute('aria-valuenow', '45');
    await handle.focus();
    for (let i = 0; i < 4; i += 1) await page.keyboard.press('ArrowRight');
    await expect(handle).toHaveAttribute('aria-valuenow', '65');
    // The rows did not move: the arrow keys went to the handle, not to the tree grid.
    await expect(handle).toBeFocused();
    await expect.poll(async () => (await deepest.boundingBox())?.width ?? 0, { message: 'width of the name cell' }).toBeGreaterThan(before * 1.3);
    await page.keyboard.press('End');
    await expect(handle).toHaveAttribute('aria-valuenow', '85');

    const grid = await timeline.boundingBox();
    const start = await handle.boundingBox();
    if (grid === null || start === null) throw new Error('the timeline or its handle has no box');
    await page.mouse.move(start.x + start.width / 2, start.y + start.height / 2);
    await page.mouse.down();
    await page.mouse.move(grid.x + grid.width * 0.3, start.y + start.height / 2, { steps: 5 });
    await page.mouse.up();
    await expect(handle).toHaveAttribute('aria-valuenow', /^(2[89]|3[012])$/);

    const card = page.getByRole('table', { name: 'Self time per service' });
    await expect(card).toContainText(longService);
    const overflow = await card.evaluate((table) => {
      const box = (table.parentElement as HTMLElement).getBoundingClientRect();
      const own = table.getBoundingClientRect();
      return { table: own.right, card: box.right };
    });
    expect(overflow.table, `the table ends at ${overflow.table}px, its card at ${overflow.card}px`).toBeLessThanOrEqual(overflow.card + 0.5);
  });

  test('a service keeps its colour from one trace to the next, whoever else is in it', async ({ page, stack }) => {
    const alone = hex(16);
    await postThroughRelay(page, stack.webUrl, alone, [{ spanId: hex(8), service: 'web-ui', name: 'documentLoad', startMs: 0, durationMs: 50 }]);
    const root = hex(8);
    const together = hex(16);
    await postThroughRelay(page, stack.webUrl, together, [
      { spanId: root, service: 'web-ui', name: 'process click', startMs: 0, durationMs: 100 },
      { spanId: hex(8), parentSpanId: root, service: 'data-processor', name: 'GET /data/:name', startMs: 10, durationMs: 50 },
    ]);

    const services = page.getByRole('list', { name: 'Services in this trace' });
    await page.goto(`/traces/${alone}`);
    const aloneColor = await chipColor(services, 'web-ui');
    await page.goto(`/traces/${together}`);
    await expect(services).toContainText('data-processor');
    expect(await chipColor(services, 'web-ui'), 'web-ui beside data-processor, and alone').toBe(aloneColor);
    expect(await chipColor(services, 'data-processor')).not.toBe(aloneColor);
  });
});
