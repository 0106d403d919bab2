import { expect, test } from '../fixtures/stack.js';

/**
 * `/services` after a short load: 36 contention requests (12 per second for
 * 3 s, as `npm run load -- --scenario contention` sends them, straight to
 * the frontend-api, not through the browser's queue). The embedded store
 * answers Jaeger's metrics API from its rollups; the real Jaeger 2.12 has no
 * metrics backend, and the page says so.
 */
async function contentionLoad(webUrl: string): Promise<number> {
  const requests: Promise<number>[] = [];
  for (let i = 0; i < 36; i++) {
    requests.push(fetch(`${webUrl}/api/scenarios/contention/services-${i}`).then((res) => res.status));
    await new Promise((resolve) => setTimeout(resolve, 1000 / 12));
  }
  return (await Promise.all(requests)).filter((status) => status === 200).length;
}

test('the services page shows the contention operation with its rate and latency, and links to its slowest traces', async ({ page, stack }) => {
  expect(await contentionLoad(stack.webUrl)).toBe(36);

  if (stack.backend === 'jaeger') {
    // Spans of the load are exported in the background: Jaeger has them or not, it has no metrics either way.
    await page.goto('/services?window=5m');
    // (Next.js's route announcer is an alert too.)
    const alert = page.getByRole('alert').filter({ hasText: 'This trace backend has no metrics.' });
    await expect(alert).toContainText('metrics querying is currently disabled');
    return;
  }

  // Exports arrive within a batch delay; reload until the data-processor's server operation is listed.
  const row = page.getByRole('row', { name: /^data-processor GET \/scenarios\/contention\/:name$/ });
  await expect(async () => {
    await page.goto('/services?window=5m');
    await expect(row).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 20_000 });

  // 36 calls of the load (and any of other tests) over a 5 minute window: a rate above 0.1/s, latencies in ms.
  const rate = Number((await row.locator('[data-figure="rate"]').textContent())?.trim());
  expect(rate).toBeGreaterThanOrEqual(36 / 300 - 0.005);
  await expect(row.locator('[data-figure="p99"]')).toHaveText(/^\d+(\.\d)? ms$/);
  await expect(row.getByRole('img', { name: /requests per second of GET \/scenarios\/contention\/:name/ })).toBeVisible();

  await row.getByRole('link', { name: 'slowest' }).click();
  await expect(page).toHaveURL(/\/traces\?service=data-processor&operation=GET\+%2Fscenarios%2Fcontention%2F%3Aname&lookback=5m&minDuration=\d+us/);
  const found = page.getByRole('list', { name: 'Traces found' }).getByRole('listitem');
  await expect(found.first()).toBeVisible();
  expect(await found.count()).toBeGreaterThan(0);
});
