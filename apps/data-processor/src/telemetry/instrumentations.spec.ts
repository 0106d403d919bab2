import type { IncomingMessage } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { createInstrumentations } from './instrumentations.js';

describe('createInstrumentations', () => {
  const [http] = createInstrumentations();
  // The constructor enables it; nothing here needs the patch.
  http?.disable();
  afterAll(() => http?.disable());

  const ignored = (url: string) =>
    http?.getConfig().ignoreIncomingRequestHook?.({ url, method: 'GET' } as IncomingMessage);

  it.each(['/health', '/health/', '/health?probe=docker'])('leaves %s untraced', (url) => {
    expect(ignored(url)).toBe(true);
  });

  it.each(['/data/health', '/healthz', '/data/charlie', '/'])('traces %s', (url) => {
    expect(ignored(url)).toBe(false);
  });
});
