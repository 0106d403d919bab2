import { SpanStatusCode } from '@opentelemetry/api';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { LogCapture } from '../../test/log-capture.js';
import { startTestTracing } from '../../test/test-tracing.js';
import { spanNamed, waitForSpans } from '@tracelens/trace-testing/in-memory';
import { ATTR_CALLER_GONE, ATTR_SLOW_DELAY_MS, EVENT_CALLER_GONE } from '../attributes.js';
import { loadConfig } from '../env.js';
import { CALLER_GONE_MESSAGE, CallerGoneException } from './caller-signal.js';
import { SLOW_WORK_SPAN, SlowService } from './slow.service.js';

describe('SlowService', () => {
  const testTracing = startTestTracing();
  const logs = new LogCapture();
  const slow = new SlowService(loadConfig({ SLOW_DELAY_MS: '1' }), logs.logger());
  const workSpan = async () =>
    spanNamed(await waitForSpans(testTracing, SLOW_WORK_SPAN, (seen) => seen.length > 0), SLOW_WORK_SPAN);

  beforeEach(async () => {
    await testTracing.reset();
    logs.clear();
  });
  afterAll(() => testTracing.stop());

  it('takes SLOW_DELAY_MS unless told otherwise', async () => {
    await expect(slow.run('a')).resolves.toEqual({ name: 'a', result: 'A', delayMs: 1 });
    expect((await workSpan()).attributes[ATTR_SLOW_DELAY_MS]).toBe(1);
  });

  it('stops when the caller goes away, and marks its span', async () => {
    const caller = new AbortController();
    const work = slow.run('a', 30_000, caller.signal);
    caller.abort(new CallerGoneException());

    await expect(work).rejects.toBeInstanceOf(CallerGoneException);
    const span = await workSpan();
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: CALLER_GONE_MESSAGE });
    expect(span.attributes[ATTR_CALLER_GONE]).toBe(true);
    expect(span.events.map((event) => event.name)).toEqual([EVENT_CALLER_GONE]);
    expect(logs.records().map((record) => record['msg'])).toEqual(['slow work cut off: caller went away']);
  });

  it('records any other abort as an exception', async () => {
    await expect(slow.run('a', 30_000, AbortSignal.abort(new Error('shutting down')))).rejects.toThrow('shutting down');
    const span = await workSpan();
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'shutting down' });
    expect(span.events.map((event) => event.name)).toEqual(['exception']);
    expect(span.attributes).not.toHaveProperty(ATTR_CALLER_GONE);
  });
});
