import { describe, expect, it } from 'vitest';
import { bigTrace, sid, span, T0 } from '@/test/trace-builder';
import { criticalPath, type CriticalPath } from './critical-path';
import { buildTree } from './tree';
import type { TraceSpan } from '@tracelens/jaeger-query/model';

/** `key start..end` per section, times after T0. */
const path = (spans: TraceSpan[]): string[] =>
  (criticalPath(buildTree(spans))?.sections ?? []).map((s) => `${s.key} ${s.startUs - T0}..${s.endUs - T0}`);

const tiles = (result: CriticalPath | null, from: number, to: number): boolean => {
  const sections = result?.sections ?? [];
  return (
    sections[0]?.startUs === T0 + from &&
    sections.at(-1)?.endUs === T0 + to &&
    sections.every((s, i) => i === 0 || s.startUs === sections[i - 1]?.endUs)
  );
};

describe('criticalPath', () => {
  it('is the root alone when it has no children', () => {
    expect(path([span('root', { duration: 100 })])).toEqual(['root 0..100']);
  });

  it('walks through sequential children and the gaps between them', () => {
    //   root  0 ........................ 100
    //   a        10 .. 30
    //   b                  40 .. 90
    expect(
      path([
        span('root', { duration: 100 }),
        span('a', { parent: 'root', start: 10, duration: 20 }),
        span('b', { parent: 'root', start: 40, duration: 50 }),
      ]),
    ).toEqual(['root 0..10', 'a 10..30', 'root 30..40', 'b 40..90', 'root 90..100']);
  });

  it('follows the child that finished last among parallel ones, then what ended before it started', () => {
    //   root  0 ...................... 100
    //   fast     10 .. 30
    //   slow     10 ........ 80
    //   early 2..8
    expect(
      path([
        span('root', { duration: 100 }),
        span('early', { parent: 'root', start: 2, duration: 6 }),
        span('fast', { parent: 'root', start: 10, duration: 20 }),
        span('slow', { parent: 'root', start: 10, duration: 70 }),
      ]),
    ).toEqual(['root 0..2', 'early 2..8', 'root 8..10', 'slow 10..80', 'root 80..100']);
  });

  it('descends into grandchildren', () => {
    expect(
      path([
        span('root', { duration: 100 }),
        span('call', { parent: 'root', start: 10, duration: 80 }),
        span('db', { parent: 'call', start: 20, duration: 30 }),
      ]),
    ).toEqual(['root 0..10', 'call 10..20', 'db 20..50', 'call 50..90', 'root 90..100']);
  });

  it('counts a child that ends exactly when the next one starts', () => {
    expect(
      path([
        span('root', { duration: 30 }),
        span('a', { parent: 'root', start: 0, duration: 10 }),
        span('b', { parent: 'root', start: 10, duration: 20 }),
      ]),
    ).toEqual(['a 0..10', 'b 10..30']);
  });

  it('clips children that stick out of their parent and ignores those entirely outside', () => {
    expect(
      path([
        span('root', { duration: 100 }),
        span('overflow', { parent: 'root', start: 60, duration: 100 }),
        span('before', { parent: 'root', start: -50, duration: 20 }),
        span('after', { parent: 'root', start: 150, duration: 20 }),
        span('under-after', { parent: 'after', start: 155, duration: 5 }),
      ]),
    ).toEqual(['root 0..60', 'overflow 60..100']);
  });

  it('handles zero-duration spans without looping and leaves zero-length sections out', () => {
    const result = criticalPath(
      buildTree([
        span('root', { duration: 10 }),
        span('mark', { parent: 'root', start: 5, duration: 0 }),
        span('mark2', { parent: 'root', start: 5, duration: 0 }),
        span('edge', { parent: 'root', start: 10, duration: 0 }),
      ]),
    );
    expect(result?.sections.map((s) => `${s.key} ${s.startUs - T0}..${s.endUs - T0}`)).toEqual(['root 0..10']);
    expect(tiles(result, 0, 10)).toBe(true);
  });

  it('is the root with an empty section when the root has no duration', () => {
    expect(path([span('root', { duration: 0 }), span('child', { parent: 'root', duration: 0 })])).toEqual(['root 0..0']);
  });

  it('runs under the main root and leaves orphans out', () => {
    const result = criticalPath(
      buildTree([span('orphan', { parent: 'gone', start: 50, duration: 500 }), span('root', { start: 0, duration: 100 })]),
    );
    expect(result?.rootKey).toBe('root');
    expect([...(result?.keys ?? [])]).toEqual(['root']);
  });

  it('answers null for an empty trace', () => {
    expect(criticalPath(buildTree([]))).toBeNull();
  });

  it('covers a 5,000-span trace end to end, deep or wide', () => {
    const deep = bigTrace(5_000, (i) => i - 1);
    const deepPath = criticalPath(buildTree(deep));
    expect(deepPath?.keys.size).toBe(5_000);
    expect(tiles(deepPath, 0, 50_000)).toBe(true);

    // 4,999 children of the root that all start at 1 µs and end at 49,999 µs:
    // one of them is the whole middle of the path.
    const wide = bigTrace(5_000, () => 0);
    const widePath = criticalPath(buildTree(wide));
    expect(widePath?.sections.map((s) => s.key)).toEqual([sid(1), sid(2), sid(1)]);
    expect(tiles(widePath, 0, 50_000)).toBe(true);
  });
});
