import { hasServices, waitForTrace } from '@tracelens/trace-testing';
import { expect, test } from '../fixtures/stack.js';

/**
 * The two Node tiers on one machine are one clock: each reports its host
 * (host.name, host.id), so the trace page never shifts one against the other.
 * The frontend-api's timestamps are whole milliseconds, so without a shared
 * host the data-processor's server span, which ends up to a millisecond
 * after the fetch span that called it, was "clock skew" on most traces.
 *
 *   web-ui          process click                      (the browser: a clock of its own)
 *   web-ui          └─ GET
 *   frontend-api       └─ GET /api/process/[name]     host.name, host.id
 *   frontend-api          └─ … fetch GET …/data/bob
 *   data-processor           └─ GET /data/:name       the same host.name, host.id: never shifted
 */
test('the frontend-api and the data-processor report one host, and neither is shifted against the other', async ({ page, stack }) => {
  const rows = page.getByRole('treegrid', { name: 'Spans on a shared time axis' }).getByRole('row');
  for (let click = 0; click < 3; click += 1) {
    await page.goto('/');
    await page.getByRole('button', { name: 'Process bob', exact: true }).click();
    const shown = page.getByTestId('result').getByTestId('trace-id');
    await expect(shown).toHaveText(/^[0-9a-f]{32}$/);
    const traceId = (await shown.textContent()) ?? '';
    await waitForTrace(stack.jaeger, traceId, { until: hasServices('web-ui', 'frontend-api', 'data-processor') });

    const trace = await stack.jaeger.getTrace(traceId);
    // The host.* attributes of each distinct resource (Jaeger process) of the service.
    const hostOf = (service: string) => [
      ...new Map(
        (trace?.spans ?? [])
          .filter((span) => span.service === service)
          .map((span) => Object.fromEntries(span.resource.filter((a) => a.key.startsWith('host.')).map((a) => [a.key, a.value])))
          .map((host) => [JSON.stringify(host), host] as const),
      ).values(),
    ];
    expect(hostOf('frontend-api'), `host tags of frontend-api vs data-processor in ${traceId}`).toEqual(hostOf('data-processor'));
    expect(hostOf('data-processor')[0]?.['host.name']).toEqual(expect.any(String));

    await page.goto(`/traces/${traceId}`);
    await expect(rows.filter({ hasText: 'process-data-internal' })).toBeVisible();
    const skewed = await rows.filter({ hasText: /frontend-api.*skew|data-processor.*skew/ }).allTextContents();
    // The frontend-api's server span under the browser's fetch may be shifted: that is another clock.
    expect(skewed.filter((text) => !text.includes('GET /api/process/[name]')), `rows marked skew in ${traceId}`).toEqual([]);
  }
});
