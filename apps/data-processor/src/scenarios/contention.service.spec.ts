import { ServiceUnavailableException } from '@nestjs/common';
import { SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { LogCapture } from '../../test/log-capture.js';
import { startTestTracing } from '../../test/test-tracing.js';
import { waitForSpans } from '@tracelens/trace-testing/in-memory';
import { ATTR_CALLER_GONE, ATTR_POOL_REQUESTS_AHEAD } from '../attributes.js';
import { loadConfig } from '../env.js';
import { CALLER_GONE_MESSAGE, CallerGoneException } from './caller-signal.js';
import { ContentionService, USE_CONNECTION_SPAN, WAIT_FOR_CONNECTION_SPAN } from './contention.service.js';

describe('ContentionService', () => {
  const testTracing = startTestTracing();
  const logs = new LogCapture();
  const service = (env: Record<string, string>) => new ContentionService(loadConfig(env), logs.logger());
  const waits = (spans: readonly ReadableSpan[]) => spans.filter((span) => span.name === WAIT_FOR_CONNECTION_SPAN);
  const waitSpans = async (count: number) =>
    waits(await waitForSpans(testTracing, `${count} wait spans`, (seen) => waits(seen).length === count));

  beforeEach(async () => {
    await testTracing.reset();
    logs.clear();
  });
  afterAll(() => testTracing.stop());

  it('serves requests one after the other through a pool of one', async () => {
    const contention = service({ CONTENTION_WORK_MS: '5' });
    // `run` joins the queue before its first await, so the order of the calls is the order of arrival.
    const results = await Promise.all(['a', 'b', 'c'].map((name) => contention.run(name)));

    expect(results.map(({ name, result, requestsAhead, workMs }) => ({ name, result, requestsAhead, workMs }))).toEqual([
      { name: 'a', result: 'A', requestsAhead: 0, workMs: 5 },
      { name: 'b', result: 'B', requestsAhead: 1, workMs: 5 },
      { name: 'c', result: 'C', requestsAhead: 2, workMs: 5 },
    ]);
    const spans = await waitSpans(3);
    expect(spans.map((span) => span.attributes[ATTR_POOL_REQUESTS_AHEAD]).sort()).toEqual([0, 1, 2]);
  });

  it('refuses with a 503 when the queue is full, and never uses a connection for it', async () => {
    const contention = service({ CONTENTION_WORK_MS: '5', CONTENTION_MAX_QUEUE: '0' });
    const first = contention.run('a');
    const refused = contention.run('b');

    await expect(refused).rejects.toBeInstanceOf(ServiceUnavailableException);
    await expect(refused).rejects.toThrow(
      'contention pool saturated: 0 requests already waiting for 1 connection; try again later',
    );
    await first;
    const spans = await waitForSpans(testTracing, 'both requests', (seen) => seen.length === 3);
    expect(spans.filter((span) => span.name === USE_CONNECTION_SPAN)).toHaveLength(1);
    const failed = spans.find((span) => span.name === WAIT_FOR_CONNECTION_SPAN && span.status.code === SpanStatusCode.ERROR);
    expect(failed?.attributes[ATTR_POOL_REQUESTS_AHEAD]).toBe(1);
  });

  it('lets a request whose caller went away leave the queue, marking its wait span', async () => {
    const contention = service({ CONTENTION_WORK_MS: '5' });
    const caller = new AbortController();
    const first = contention.run('a');
    const gone = contention.run('b', caller.signal);
    caller.abort(new CallerGoneException());

    await expect(gone).rejects.toBeInstanceOf(CallerGoneException);
    await first;
    const marked = (await waitSpans(2)).find((span) => span.attributes[ATTR_CALLER_GONE] === true);
    expect(marked?.status).toEqual({ code: SpanStatusCode.ERROR, message: CALLER_GONE_MESSAGE });
  });
});
