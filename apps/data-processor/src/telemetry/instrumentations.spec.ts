import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Span } from '@opentelemetry/api';
import { afterAll, describe, expect, it } from 'vitest';
import { ATTR_CALLER_GONE, EVENT_CALLER_GONE } from '../attributes.js';
import { createInstrumentations, markUnanswered } from './instrumentations.js';

describe('createInstrumentations', () => {
  const [http, undici] = createInstrumentations();
  // The constructors enable them; nothing here needs the patch or the channels.
  http.disable();
  undici.disable();
  afterAll(() => http.disable());

  const ignored = (url: string) =>
    http.getConfig().ignoreIncomingRequestHook?.({ url, method: 'GET' } as IncomingMessage);

  it.each(['/health', '/health/', '/health?probe=docker'])('leaves %s untraced', (url) => {
    expect(ignored(url)).toBe(true);
  });

  it.each(['/data/health', '/healthz', '/data/charlie', '/'])('traces %s', (url) => {
    expect(ignored(url)).toBe(false);
  });

  it('gives client spans only to requests made under a span', () => {
    expect(undici.getConfig()).toMatchObject({ requireParentforSpans: true });
  });

  describe('markUnanswered', () => {
    function fakeSpan() {
      const calls: unknown[][] = [];
      const span = {
        setAttribute: (...args: unknown[]) => calls.push(['setAttribute', ...args]),
        addEvent: (...args: unknown[]) => calls.push(['addEvent', ...args]),
      } as unknown as Span;
      return { span, calls };
    }
    const request = {} as IncomingMessage;

    it('is what the HTTP instrumentation calls before ending a span', () => {
      expect(http.getConfig().applyCustomAttributesOnSpan).toBe(markUnanswered);
    });

    it('marks a server span whose response never finished: the caller went away', () => {
      const { span, calls } = fakeSpan();
      markUnanswered(span, request, { writableFinished: false } as ServerResponse);
      expect(calls).toEqual([
        ['setAttribute', ATTR_CALLER_GONE, true],
        ['addEvent', EVENT_CALLER_GONE],
      ]);
    });

    it('leaves answered requests and client spans alone', () => {
      const { span, calls } = fakeSpan();
      markUnanswered(span, request, { writableFinished: true } as ServerResponse);
      markUnanswered(span, request, {} as IncomingMessage);
      expect(calls).toEqual([]);
    });
  });
});
