import { describe, expect, it } from 'vitest';
import { bigTrace, span, T0 } from '@/test/trace-builder';
import { adjustClockSkew, clockOf, skewDelta } from './clock-skew';
import { buildTree, type TraceTree } from './tree';
import { endOf } from '@tracelens/jaeger-query/model';

const at = (start: number, duration: number) => ({ startUs: start, durationUs: duration });

/** Start offsets (from T0) by key. */
const starts = (tree: TraceTree): Record<string, number> =>
  Object.fromEntries(tree.nodes.map((node) => [node.key, node.span.startUs - T0]));

describe('skewDelta (Jaeger\'s rule)', () => {
  it('leaves a child that fits inside its parent alone', () => {
    expect(skewDelta(at(10, 80), at(0, 100))).toBe(0);
    expect(skewDelta(at(0, 100), at(0, 100))).toBe(0);
  });

  it('centres a child that is not longer than its parent but sticks out', () => {
    // Parent 0..100, child 40 long: latency (100 - 40) / 2 = 30, so it starts at 30.
    expect(skewDelta(at(-50, 40), at(0, 100))).toBe(80);
    expect(skewDelta(at(90, 40), at(0, 100))).toBe(-60);
    expect(skewDelta(at(500, 100), at(0, 100))).toBe(-500);
  });

  it('only moves a longer child so that it does not start before its parent', () => {
    expect(skewDelta(at(-20, 300), at(0, 100))).toBe(20);
    expect(skewDelta(at(50, 300), at(0, 100))).toBe(0);
  });

  it('rounds the half latency towards zero, in whole microseconds', () => {
    expect(skewDelta(at(-10, 0), at(0, 5))).toBe(12);
  });
});

describe('clockOf', () => {
  it('is the host when the resource names one, else the service', () => {
    expect(clockOf(span('a', { service: 'web-ui' }))).toBe('service:web-ui');
    expect(clockOf(span('a', { service: 'api', resource: { 'host.name': 'box' } }))).toBe('host:box');
    expect(clockOf(span('a', { service: 'api', resource: { 'host.name': 'box', ip: '10.0.0.1' } }))).toBe('host:10.0.0.1');
  });

  it("prefers host.id, then host.ip (its first address), then host.name, as Jaeger's hostKey does", () => {
    const resource = { 'host.name': 'box', 'host.ip': '["10.0.0.2","fe80::1"]', 'host.id': '3d1219c7' };
    expect(clockOf(span('a', { service: 'api', resource }))).toBe('host:3d1219c7');
    expect(clockOf(span('a', { service: 'api', resource: { 'host.name': 'box', 'host.ip': '["10.0.0.2","fe80::1"]' } }))).toBe('host:10.0.0.2');
    expect(clockOf(span('a', { service: 'api', resource: { 'host.name': 'box', 'host.ip': '10.0.0.3' } }))).toBe('host:10.0.0.3');
  });
});

describe('adjustClockSkew', () => {
  // The browser's clock is 10 ms behind the server's: the server span seems
  // to start 8 ms after the browser's fetch span has ended.
  //
  //   web-ui   click      0 .. 30 000
  //   web-ui   └─ GET     1 000 .. 21 000
  //   api         └─ GET /x          29 000 .. 39 000   (should be inside GET)
  //   api            └─ work         30 000 .. 38 000
  //   db                └─ query     30 500 .. 31 500    (another clock, fits as is)
  const skewed = () =>
    buildTree([
      span('click', { service: 'web-ui', start: 0, duration: 30_000 }),
      span('fetch', { parent: 'click', service: 'web-ui', start: 1_000, duration: 20_000 }),
      span('server', { parent: 'fetch', service: 'api', start: 29_000, duration: 10_000 }),
      span('work', { parent: 'server', service: 'api', start: 30_000, duration: 8_000, events: [{ name: 'exception', at: 31_000 }] }),
      span('query', { parent: 'work', service: 'db', start: 30_500, duration: 1_000 }),
    ]);

  it('centres a span from another clock in its parent and moves its same-clock subtree with it', () => {
    const { tree, adjustments } = adjustClockSkew(skewed());
    // fetch 1 000 .. 21 000 (20 000 long), server 10 000 long: starts at 1 000 + 5 000.
    const delta = 6_000 - 29_000;
    expect(starts(tree)).toMatchObject({ click: 0, fetch: 1_000, server: 6_000, work: 30_000 + delta });
    expect(adjustments.get('server')).toEqual({ deltaUs: delta, sourceKey: 'server' });
    expect(adjustments.get('work')).toEqual({ deltaUs: delta, sourceKey: 'server' });
    expect(tree.byKey.get('work')?.span.events[0]?.timeUs).toBe(T0 + 31_000 + delta);
    expect(tree.byKey.get('work')?.span.durationUs).toBe(8_000);
  });

  it('compares a span on a third clock with its parent as already moved', () => {
    const { tree, adjustments } = adjustClockSkew(skewed());
    const work = tree.byKey.get('work')?.span;
    const query = tree.byKey.get('query')?.span;
    // query (30 500 .. 31 500) no longer fits in the moved work (7 000 .. 15 000): centred again.
    expect(work && query && query.startUs >= work.startUs && endOf(query) <= endOf(work)).toBe(true);
    expect(adjustments.get('query')?.sourceKey).toBe('query');
  });

  it('never moves spans relative to a parent on the same clock (their gap is real)', () => {
    const tree = buildTree([
      span('parent', { service: 'api', start: 0, duration: 100 }),
      span('async', { parent: 'parent', service: 'api', start: 500, duration: 50 }),
    ]);
    const result = adjustClockSkew(tree);
    expect(result.adjustments.size).toBe(0);
    expect(result.tree).toBe(tree);
  });

  it('treats services that report the same host as one clock', () => {
    const tree = buildTree([
      span('browser', { service: 'web-ui', start: 0, duration: 1_000 }),
      span('front', { parent: 'browser', service: 'front', resource: { 'host.name': 'box' }, start: 5_000, duration: 500 }),
      span('back', { parent: 'front', service: 'back', resource: { 'host.name': 'box' }, start: 5_100, duration: 300 }),
    ]);
    const { tree: adjusted, adjustments } = adjustClockSkew(tree);
    // front: 250 .. 750; back keeps its 100 µs offset inside front.
    expect(starts(adjusted)).toEqual({ browser: 0, front: 250, back: 350 });
    expect(adjustments.get('back')).toEqual({ deltaUs: -4_750, sourceKey: 'front' });
  });

  // One click on one machine, as the tiers report it: the frontend-api's
  // timestamps are whole milliseconds, so the data-processor's server span
  // ends 1.6 ms after the fetch span that called it.
  //
  //   web-ui          GET                    0 .. 40 000     (no host: the browser's own clock)
  //   frontend-api    └─ fetch GET /data     5 000 .. 25 000  host.id m1
  //   data-processor     └─ GET /data/:name  7 000 .. 26 600  host.id m1 (ends after its parent)
  //   data-processor        └─ work          7 100 .. 26 500  host.id m1
  const oneMachine = (frontendResource: Record<string, string>) =>
    buildTree([
      span('browser', { service: 'web-ui', start: 0, duration: 40_000 }),
      span('fetch', { parent: 'browser', service: 'frontend-api', resource: frontendResource, start: 5_000, duration: 20_000 }),
      span('server', { parent: 'fetch', service: 'data-processor', resource: { 'host.id': 'm1', 'host.name': 'vm' }, start: 7_000, duration: 19_600 }),
      span('work', { parent: 'server', service: 'data-processor', resource: { 'host.id': 'm1', 'host.name': 'vm' }, start: 7_100, duration: 19_400 }),
    ]);

  it('leaves a child on the same host that ends after its parent where it is', () => {
    const { tree, adjustments } = adjustClockSkew(oneMachine({ 'host.id': 'm1', 'host.name': 'vm' }));
    expect([...adjustments.keys()]).toEqual([]);
    expect(starts(tree)).toEqual({ browser: 0, fetch: 5_000, server: 7_000, work: 7_100 });
  });

  it('shifts that child when its parent names no host, as the frontend-api did before it reported one', () => {
    const { adjustments } = adjustClockSkew(oneMachine({}));
    expect(adjustments.get('server')?.sourceKey).toBe('server');
  });

  it('does not move top-level spans, orphans included', () => {
    const tree = buildTree([
      span('root', { service: 'web-ui', start: 0, duration: 100 }),
      span('orphan', { parent: 'missing', service: 'api', start: 5_000, duration: 10 }),
    ]);
    expect(adjustClockSkew(tree).adjustments.size).toBe(0);
  });

  it('keeps keys, duplicates and orphans and re-sorts siblings by their new start', () => {
    const tree = buildTree([
      span('root', { service: 'web-ui', start: 0, duration: 1_000 }),
      span('late', { parent: 'root', service: 'web-ui', start: 100, duration: 10 }),
      span('dup', { parent: 'root', service: 'api', start: 5_000, duration: 10 }),
      span('dup', { parent: 'root', service: 'api', start: 6_000, duration: 10 }),
      span('lost', { parent: 'nowhere', service: 'api', start: 0, duration: 1 }),
    ]);
    const { tree: adjusted } = adjustClockSkew(tree);
    expect(adjusted.nodes.map((n) => `${n.key}@${n.span.startUs - T0}`)).toEqual(['root@0', 'late@100', 'dup@495', 'dup~2@495', 'lost@0']);
    expect(adjusted.byKey.get('lost')?.orphan).toBe('missing-parent');
    expect(adjusted.byKey.get('dup~2')?.duplicateId).toBe(true);
  });

  it('zero-duration spans are placed inside their parent', () => {
    const tree = buildTree([
      span('root', { service: 'web-ui', start: 0, duration: 0 }),
      span('point', { parent: 'root', service: 'api', start: 42, duration: 0 }),
    ]);
    expect(starts(adjustClockSkew(tree).tree)).toEqual({ root: 0, point: 0 });
  });

  it('adjusts a 5,000-span trace that alternates clocks at every level', () => {
    const spans = bigTrace(5_000, (i) => i - 1, (i) => (i % 2 === 0 ? 'web-ui' : 'api')).map((s, i) =>
      // Push every api span 1 s into the future.
      i % 2 === 1 ? { ...s, startUs: s.startUs + 1_000_000 } : s,
    );
    const { tree, adjustments } = adjustClockSkew(buildTree(spans));
    expect(adjustments.size).toBeGreaterThan(0);
    for (const node of tree.nodes) {
      if (node.parent === null) continue;
      expect(node.span.startUs).toBeGreaterThanOrEqual(node.parent.span.startUs);
      expect(endOf(node.span)).toBeLessThanOrEqual(endOf(node.parent.span));
    }
  });
});
