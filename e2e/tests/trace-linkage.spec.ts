import { spanAttribute, type Trace } from '@tracelens/jaeger-query/model';
import { describeTrace, findChain, findSpan, hasChain, waitForTrace } from '@tracelens/trace-testing';
import { CLICK_CHAIN } from '../fixtures/click-chain.js';
import { expect, test } from '../fixtures/stack.js';
import { HomePage } from '../pages/home-page.js';

// The span tree a click produces is drawn in fixtures/click-chain.ts.

test.describe('one trace from the browser click to the backend', () => {
  test('"Process alice" links browser, Next.js and NestJS spans in one chain', async ({ page, stack }) => {
    const home = new HomePage(page);
    await home.goto();
    await home.processPreset('alice');
    await expect(home.traceId).toHaveText(/[0-9a-f]{32}/);
    await expect(page.getByTestId('result')).toContainText('alice');
    const traceId = await home.shownTraceId();

    const trace = await waitForTrace(stack.jaeger, traceId, { until: hasChain(CLICK_CHAIN) });
    const [click, , server, logic, , backendServer, internal] = findChain(trace, CLICK_CHAIN);
    expect(click && spanAttribute(click, 'user.name')).toBe('alice');
    expect(logic && spanAttribute(logic, 'user.name')).toBe('alice');
    expect(server && spanAttribute(server, 'http.route')).toBe('/api/process/[name]');
    expect(backendServer && spanAttribute(backendServer, 'http.route')).toBe('/data/:name');
    expect(internal && spanAttribute(internal, 'data.input_name')).toBe('alice');
    expect(internal && spanAttribute(internal, 'data.result')).toBeTruthy();
    expect(trace.spans.filter((s) => s.error), describeTrace(trace)).toEqual([]);
  });

  // Each click's spans leave the browser in an export of a few KiB. Chromium
  // counts keepalive requests against a 64 KiB budget until their answers are
  // read, and the OTLP exporter never reads them: with an answer body, exports
  // stopped after twenty-odd clicks in one page (see the relay route).
  test('thirty clicks in one page: the last one is still traced from the browser on', async ({ page, stack }) => {
    const home = new HomePage(page);
    await home.goto();
    let previous = '';
    for (let i = 0; i < 30; i++) {
      await home.processPreset('alice');
      if (previous !== '') await expect(home.traceId).not.toContainText(previous);
      await expect(home.traceId).toHaveText(/[0-9a-f]{32}/);
      previous = await home.shownTraceId();
    }
    const trace = await waitForTrace(stack.jaeger, previous, { until: hasChain(CLICK_CHAIN) });
    expect(spanAttribute(findSpan(trace, 'web-ui', 'process click'), 'user.name')).toBe('alice');
  });

  test('"Process charlie_error" shows the error and marks it at every tier', async ({ page, stack }) => {
    const home = new HomePage(page);
    await home.goto();
    await home.processPreset('charlie_error');
    await expect(home.alert).toContainText(/error/i);
    await expect(home.alert).toContainText(/[0-9a-f]{32}/);
    const traceId = await home.shownTraceId();

    const trace = await waitForTrace(stack.jaeger, traceId, { until: hasChain(CLICK_CHAIN) });
    const chain = findChain(trace, CLICK_CHAIN);
    const internal = findSpan(trace, 'data-processor', 'process-data-internal');
    expect(internal.error).toBe(true);
    const exception = internal.events.find((event) => event.name === 'exception');
    expect(exception?.attributes.find((a) => a.key === 'exception.message')?.value).toBe('Simulated data processing error!');
    // The failure propagates up: data-processor server span, the frontend-api's
    // logic span (502), and the browser's click span all carry ERROR status.
    const [click, , , logic, , backendServer] = chain;
    for (const span of [backendServer, logic, click]) expect(span?.error, `${span?.service}: ${span?.name}\n${describeTrace(trace)}`).toBe(true);
  });

  test('two names processed at once give two separate traces', async ({ context, stack }) => {
    const [first, second] = [new HomePage(await context.newPage()), new HomePage(await context.newPage())];
    await Promise.all([first.goto(), second.goto()]);
    await Promise.all([first.processPreset('alice'), second.processPreset('bob')]);
    await Promise.all([expect(first.traceId).toHaveText(/[0-9a-f]{32}/), expect(second.traceId).toHaveText(/[0-9a-f]{32}/)]);
    const ids = [await first.shownTraceId(), await second.shownTraceId()];
    expect(ids[0]).not.toBe(ids[1]);

    const traces: Trace[] = [];
    for (const id of ids) traces.push(await waitForTrace(stack.jaeger, id, { until: hasChain(CLICK_CHAIN) }));
    for (const [trace, name] of [
      [traces[0], 'alice'],
      [traces[1], 'bob'],
    ] as const) {
      findChain(trace as Trace, CLICK_CHAIN);
      const names = new Set(
        trace?.spans.flatMap((s) => [spanAttribute(s, 'user.name'), spanAttribute(s, 'data.input_name')]).filter((v) => v !== undefined),
      );
      expect([...names], describeTrace(trace as Trace)).toEqual([name]);
    }
  });

  test('loading the page produces a documentLoad trace from web-ui', async ({ page, stack }) => {
    const home = new HomePage(page);
    const since = Date.now() * 1000;
    await home.goto();
    await expect
      .poll(async () => (await stack.jaeger.findTraces({ service: 'web-ui', operation: 'documentLoad', startUs: since })).length, {
        message: 'a documentLoad trace from web-ui',
      })
      .toBeGreaterThan(0);
    const [trace] = await stack.jaeger.findTraces({ service: 'web-ui', operation: 'documentLoad', startUs: since });
    const spanNames = trace?.spans.map((s) => s.name) ?? [];
    expect(spanNames).toContain('documentFetch');
  });

  test('an invalid name is refused with a reason, in the UI and at the route', async ({ page, request }) => {
    const home = new HomePage(page);
    await home.goto();
    await home.processName('bad name!');
    await expect(home.alert).toContainText(/letters, digits/);

    const res = await request.get('/api/process/bad%20name!');
    expect(res.status()).toBe(400);
    expect((await res.json()).error).toMatch(/letters, digits/);
  });

  test('with the trace backend down the app still answers, and traces flow again once it is back', async ({ page, stack }) => {
    const home = new HomePage(page);
    await home.goto();
    await stack.stopBackend();

    await home.processPreset('bob');
    // The request takes about 0.2 s of simulated work; a tracing stall would
    // show up as a much longer wait than this bound.
    await expect(home.traceId).toHaveText(/[0-9a-f]{32}/, { timeout: 5_000 });
    await expect(page.getByTestId('result')).toContainText('bob');

    await stack.startBackend();
    await home.processPreset('alice');
    await expect(page.getByTestId('result')).toContainText('alice');
    const traceId = await home.shownTraceId();
    const trace = await waitForTrace(stack.jaeger, traceId, { until: hasChain(CLICK_CHAIN), timeoutMs: 30_000 });
    findChain(trace, CLICK_CHAIN);
  });
});
