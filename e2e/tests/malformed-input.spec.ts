import { expect, test } from '../fixtures/stack.js';

/**
 * Percent-escapes that cannot be decoded (`%zz`, a lone `%`, `%ff`) never
 * cost a 500: Next.js decodes dynamic segments before any route code runs
 * and, in production, answers a bare 500 when that fails. These go through a
 * real `next start`, the only place that happens.
 */
test.describe('malformed input is a 4xx, with a reason', () => {
  const apiPaths = [
    '/api/process/%zz',
    '/api/process/%ff',
    '/api/scenarios/contention/%zz',
    '/api/scenarios/flaky/%',
    '/api/scenarios/timeout/%zz?deadlineMs=100',
    '/api/traces/%zz/live',
    // Query parameters are read with URLSearchParams, which keeps a bad escape as text.
    '/api/scenarios/fanout?names=%zz',
    '/api/scenarios/flaky/widget?failureRate=%zz',
  ];

  for (const path of apiPaths) {
    test(`GET ${path} answers 400 with a JSON error`, async ({ page, stack }) => {
      const response = await page.request.get(`${stack.webUrl}${path}`);
      const text = await response.text();
      expect(response.status(), `${path} answered ${response.status()}: ${text.slice(0, 200)}`).toBe(400);
      expect(response.headers()['content-type']).toMatch(/^application\/json/);
      expect(JSON.parse(text)).toEqual({ error: expect.stringMatching(/(Name may only contain|is not a trace id|failureRate must be)/) });
    });
  }

  test('/traces/%zz is the trace page\'s not-found page, not an error', async ({ page, stack }) => {
    const response = await page.goto(`${stack.webUrl}/traces/%zz`);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Trace not found');
    await expect(page.getByRole('main')).toContainText('does not hold a trace id');
  });

  test('/traces with malformed search parameters shows what is wrong', async ({ page, stack }) => {
    const response = await page.goto(`${stack.webUrl}/traces?service=%zz&limit=%zz&minDuration=%ff`);
    expect(response?.status()).toBe(200);
    await expect(page.getByRole('main').getByRole('alert')).toContainText('Limit must be a whole number');
  });
});
