import { describe, expect, it } from 'vitest';
import { bigTrace, span } from '@/test/trace-builder';
import { selfTimeOf, selfTimes } from './self-time';
import { buildTree } from './tree';

describe('selfTimeOf', () => {
  const selfOf = (key: string, spans: Parameters<typeof buildTree>[0]) => {
    const node = buildTree(spans).byKey.get(key);
    if (!node) throw new Error(`no ${key}`);
    return selfTimeOf(node);
  };

  it('is the whole duration for a leaf', () => {
    expect(selfOf('leaf', [span('leaf', { duration: 42 })])).toBe(42);
  });

  it('subtracts sequential children', () => {
    expect(
      selfOf('root', [
        span('root', { duration: 100 }),
        span('a', { parent: 'root', start: 10, duration: 20 }),
        span('b', { parent: 'root', start: 50, duration: 30 }),
      ]),
    ).toBe(50);
  });

  it('counts overlapping children once', () => {
    expect(
      selfOf('root', [
        span('root', { duration: 100 }),
        span('a', { parent: 'root', start: 10, duration: 40 }),
        span('b', { parent: 'root', start: 20, duration: 10 }),
        span('c', { parent: 'root', start: 40, duration: 20 }),
      ]),
    ).toBe(50);
  });

  it('ignores the part of a child outside its parent', () => {
    expect(
      selfOf('root', [
        span('root', { duration: 100 }),
        span('before', { parent: 'root', start: -20, duration: 30 }),
        span('after', { parent: 'root', start: 90, duration: 50 }),
        span('outside', { parent: 'root', start: 200, duration: 50 }),
      ]),
    ).toBe(80);
  });

  it('is zero for zero-duration spans and unaffected by zero-duration children', () => {
    expect(selfOf('root', [span('root', { duration: 0 })])).toBe(0);
    expect(selfOf('root', [span('root', { duration: 10 }), span('mark', { parent: 'root', start: 5, duration: 0 })])).toBe(10);
  });
});

describe('selfTimes', () => {
  it('sums self time per service and names the span with the most', () => {
    const result = selfTimes(
      buildTree([
        span('click', { service: 'web-ui', duration: 100 }),
        span('api', { parent: 'click', service: 'api', start: 10, duration: 80 }),
        span('db1', { parent: 'api', service: 'db', start: 20, duration: 10 }),
        span('db2', { parent: 'api', service: 'db', start: 40, duration: 45 }),
      ]),
    );
    expect(Object.fromEntries(result.byKey)).toEqual({ click: 20, api: 25, db1: 10, db2: 45 });
    expect(result.byService).toEqual([
      { service: 'db', selfTimeUs: 55, spanCount: 2 },
      { service: 'api', selfTimeUs: 25, spanCount: 1 },
      { service: 'web-ui', selfTimeUs: 20, spanCount: 1 },
    ]);
    expect(result.largest?.key).toBe('db2');
  });

  it('adds up to the root duration for a 5,000-span chain (no parallel work)', () => {
    const tree = buildTree(bigTrace(5_000, (i) => i - 1, (i) => `svc-${i % 7}`));
    const result = selfTimes(tree);
    const total = result.byService.reduce((sum, s) => sum + s.selfTimeUs, 0);
    expect(total).toBe(tree.nodes[0]?.span.durationUs);
    expect(result.byService.reduce((sum, s) => sum + s.spanCount, 0)).toBe(5_000);
  });

  it('has no largest span for an empty trace', () => {
    expect(selfTimes(buildTree([])).largest).toBeNull();
  });
});
