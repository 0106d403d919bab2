import { describeTrace, hasServices, waitForTrace } from '@tracelens/trace-testing';
import { expect, test } from '../fixtures/stack.js';

/**
 * One searchable status tag in every tier. "Process charlie_error":
 *
 *   web-ui          process click                       http.response.status_code=502
 *   web-ui          └─ GET                              http.response.status_code=502
 *   frontend-api       └─ GET /api/process/[name]       http.status_code=502 (Next.js), + the stable one
 *   frontend-api          └─ … fetch GET …/data/…       http.status_code=500 (@vercel/otel), + the stable one
 *   data-processor           └─ GET /data/:name         http.response.status_code=500
 */
test('http.response.status_code finds a failed request in both servers', async ({ page, stack }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Process charlie_error', exact: true }).click();
  const shown = page.getByRole('main').getByRole('alert').getByTestId('trace-id');
  await expect(shown).toHaveText(/^[0-9a-f]{32}$/);
  const traceId = (await shown.textContent()) ?? '';
  const trace = await waitForTrace(stack.jaeger, traceId, { until: hasServices('web-ui', 'frontend-api', 'data-processor') });

  const searches = [
    { service: 'frontend-api', status: '502' },
    { service: 'frontend-api', status: '500' },
    { service: 'data-processor', status: '500' },
    { service: 'web-ui', status: '502' },
  ];
  const found: string[] = [];
  for (const { service, status } of searches) {
    const traces = await stack.jaeger.findTraces({ service, tags: { 'http.response.status_code': status }, limit: 50 });
    if (traces.some((t) => t.traceId === traceId)) found.push(`${service}=${status}`);
  }
  expect(found, `searches that found trace ${traceId}:\n${describeTrace(trace)}`).toEqual(searches.map((s) => `${s.service}=${s.status}`));
});
