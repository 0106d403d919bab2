import { expect, test } from '../fixtures/stack.js';

/**
 * The waterfall stops waiting for spans that cannot come. The browser's
 * request never reaches the frontend-api (refused at the network level), so
 * only the browser's two spans exist:
 *
 *   web-ui   process click   ERROR (Failed to fetch)
 *   web-ui   └─ GET          no answer (status 0), no child
 *
 * Before, the status said "Still arriving: 2 spans so far; no spans from
 * frontend-api, data-processor yet" until the live view gave up after 15 s.
 */
test('a click whose request never got an answer settles and says why', async ({ page }) => {
  await page.route('**/api/process/**', (route) => route.abort('connectionrefused'));
  await page.goto('/');
  await page.getByRole('button', { name: 'Process alice', exact: true }).click();
  await expect(page.getByRole('main').getByRole('alert')).toContainText('Network error');

  const waterfall = page.getByRole('region', { name: 'Trace waterfall' });
  const status = waterfall.getByRole('status');
  await expect(status).toHaveText(/^Still arriving/);
  // Settles once the click span is in and nothing new came for 6 s, well before the 15 s deadline.
  await expect(status).toHaveText(
    /^Settled: 2 spans from 1 service, .*No spans from frontend-api or data-processor: the call web-ui: GET failed \(.+\) and nothing more arrived\.$/,
    { timeout: 12_000 },
  );
  await expect(waterfall.getByRole('button', { name: 'Check again' })).toBeVisible();
});
