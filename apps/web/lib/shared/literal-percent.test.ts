import { NextRequest } from 'next/server';
import { describe, expect, it } from 'vitest';
import { proxy } from '@/proxy';
import { literalPercentPath } from './literal-percent';

describe('literalPercentPath', () => {
  it('escapes the % signs of every segment that cannot be decoded, and only those', () => {
    expect(literalPercentPath('/api/process/%zz')).toBe('/api/process/%25zz');
    expect(literalPercentPath('/api/traces/%/live')).toBe('/api/traces/%25/live');
    // A valid escape of a byte that is no UTF-8 on its own.
    expect(literalPercentPath('/traces/%ff')).toBe('/traces/%25ff');
    // The whole segment is taken literally, its good escapes included.
    expect(literalPercentPath('/api/process/a%20b%zz')).toBe('/api/process/a%2520b%25zz');
    expect(literalPercentPath('/api/scenarios/%E0%A4%A/x%41')).toBe('/api/scenarios/%25E0%25A4%25A/x%41');
  });

  it('leaves a path that decodes alone', () => {
    expect(literalPercentPath('/api/process/alice')).toBeNull();
    expect(literalPercentPath('/api/process/caf%C3%A9')).toBeNull();
    expect(literalPercentPath('/api/process/100%25')).toBeNull();
  });
});

describe('the proxy', () => {
  /** Path and query of the rewrite the proxy asked for (NextURL writes 127.0.0.1 as localhost), null for none. */
  const rewriteOf = (url: string) => {
    const rewrite = proxy(new NextRequest(url)).headers.get('x-middleware-rewrite');
    return rewrite === null ? null : rewrite.slice(new URL(rewrite).origin.length);
  };

  it('rewrites a path Next.js cannot decode to the same path taken literally', () => {
    expect(rewriteOf('http://127.0.0.1:3000/api/process/%zz')).toBe('/api/process/%25zz');
    expect(rewriteOf('http://127.0.0.1:3000/traces/%zz?span=1')).toBe('/traces/%25zz?span=1');
  });

  it('lets every other request through untouched', () => {
    const response = proxy(new NextRequest('http://127.0.0.1:3000/api/process/caf%C3%A9'));
    expect(response.headers.get('x-middleware-rewrite')).toBeNull();
    expect(response.headers.get('x-middleware-next')).toBe('1');
  });
});
