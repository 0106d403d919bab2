import { describe, expect, it } from 'vitest';
import { bigTrace, sid, span, T0 } from '@/test/trace-builder';
import { ancestorsOf, buildTree, findNode, mainRoot, visibleNodes, type TraceTree } from './tree';

const outline = (tree: TraceTree): string[] => tree.nodes.map((node) => `${'  '.repeat(node.depth)}${node.key}`);

describe('buildTree', () => {
  it('nests spans under their parents, children by start time, depth first', () => {
    const tree = buildTree([
      span('c2', { parent: 'root', start: 50, duration: 10 }),
      span('root', { start: 0, duration: 100 }),
      span('c1', { parent: 'root', start: 10, duration: 30 }),
      span('g1', { parent: 'c1', start: 12, duration: 5 }),
    ]);
    expect(outline(tree)).toEqual(['root', '  c1', '    g1', '  c2']);
    expect(tree.roots.map((n) => n.key)).toEqual(['root']);
    expect(tree.byKey.get('root')?.descendantCount).toBe(3);
    expect(tree.byKey.get('c1')?.descendantCount).toBe(1);
    expect(tree.byKey.get('g1')?.parent?.key).toBe('c1');
    expect(tree.nodes.map((n) => n.index)).toEqual([0, 1, 2, 3]);
    expect([tree.startUs, tree.endUs]).toEqual([T0, T0 + 100]);
  });

  it('keeps siblings that start together in input order', () => {
    const tree = buildTree([
      span('root', { duration: 10 }),
      span('b', { parent: 'root', start: 1 }),
      span('a', { parent: 'root', start: 1 }),
    ]);
    expect(outline(tree)).toEqual(['root', '  b', '  a']);
  });

  it('shows a span whose parent never arrived at the top level, marked, with its subtree', () => {
    const tree = buildTree([
      span('root', { start: 0, duration: 100 }),
      span('lost', { parent: 'gone', start: 20, duration: 10 }),
      span('under-lost', { parent: 'lost', start: 21, duration: 5 }),
    ]);
    expect(outline(tree)).toEqual(['root', 'lost', '  under-lost']);
    expect(tree.byKey.get('lost')?.orphan).toBe('missing-parent');
    expect(tree.byKey.get('root')?.orphan).toBeNull();
    expect(tree.byKey.get('under-lost')?.orphan).toBeNull();
    expect(mainRoot(tree)?.key).toBe('root');
  });

  it('keeps every span that repeats an id, under its own key; children attach to the first', () => {
    const tree = buildTree([
      span('root', { duration: 100 }),
      span('dup', { parent: 'root', start: 1, duration: 10, name: 'first' }),
      span('dup', { parent: 'root', start: 2, duration: 10, name: 'second' }),
      span('dup', { parent: 'root', start: 3, duration: 10, name: 'third' }),
      span('child', { parent: 'dup', start: 4, duration: 1 }),
    ]);
    expect(outline(tree)).toEqual(['root', '  dup', '    child', '  dup~2', '  dup~3']);
    expect(tree.nodes.map((n) => n.duplicateId)).toEqual([false, false, false, true, true]);
    expect(tree.byKey.get('dup~2')?.span.name).toBe('second');
    expect(findNode(tree, 'dup')?.span.name).toBe('first');
    expect(findNode(tree, 'DUP~3')?.span.name).toBe('third');
  });

  it('cuts parent loops instead of losing the spans in them', () => {
    const tree = buildTree([
      span('root', { duration: 100 }),
      span('a', { parent: 'b', start: 10, duration: 5 }),
      span('b', { parent: 'a', start: 11, duration: 5 }),
      span('c', { parent: 'a', start: 12, duration: 1 }),
      span('self', { parent: 'self', start: 30, duration: 1 }),
    ]);
    expect(tree.nodes).toHaveLength(5);
    expect(new Set(tree.nodes.map((n) => n.key))).toEqual(new Set(['root', 'a', 'b', 'c', 'self']));
    expect(tree.roots.map((n) => [n.key, n.orphan])).toEqual([
      ['root', null],
      ['a', 'cycle'],
      ['self', 'cycle'],
    ]);
    expect(outline(tree)).toEqual(['root', 'a', '  b', '  c', 'self']);
    expect(tree.byKey.get('self')?.children).toEqual([]);
  });

  it('keeps zero-duration spans', () => {
    const tree = buildTree([span('root', { start: 5, duration: 0 }), span('point', { parent: 'root', start: 5, duration: 0 })]);
    expect(outline(tree)).toEqual(['root', '  point']);
    expect([tree.startUs, tree.endUs]).toEqual([T0 + 5, T0 + 5]);
  });

  it('answers an empty tree for no spans', () => {
    const tree = buildTree([]);
    expect([tree.nodes, tree.roots, tree.startUs, tree.endUs, mainRoot(tree)]).toEqual([[], [], 0, 0, undefined]);
  });

  it('builds a 5,000-span chain (5,000 levels deep) and a 5,000-span wide trace', () => {
    const deep = buildTree(bigTrace(5_000, (i) => i - 1));
    expect(deep.nodes).toHaveLength(5_000);
    expect(deep.nodes[4_999]?.depth).toBe(4_999);
    expect(deep.nodes[0]?.descendantCount).toBe(4_999);
    const deepest = deep.nodes.at(-1);
    expect(deepest && ancestorsOf(deepest)).toHaveLength(4_999);

    const wide = buildTree(bigTrace(5_000, (i) => Math.floor((i - 1) / 10)));
    expect(wide.nodes).toHaveLength(5_000);
    expect(new Set(wide.nodes.map((n) => n.key)).size).toBe(5_000);
    // Depth first: every subtree is contiguous after its node.
    for (const node of wide.nodes) {
      const subtree = wide.nodes.slice(node.index + 1, node.index + 1 + node.descendantCount);
      expect(subtree.every((d) => d.depth > node.depth)).toBe(true);
    }
  });
});

describe('visibleNodes', () => {
  const tree = buildTree([
    span('root', { duration: 100 }),
    span('a', { parent: 'root', start: 1, duration: 10 }),
    span('a1', { parent: 'a', start: 2, duration: 1 }),
    span('a2', { parent: 'a', start: 3, duration: 1 }),
    span('b', { parent: 'root', start: 20, duration: 1 }),
  ]);

  it('shows everything when nothing is collapsed', () => {
    expect(visibleNodes(tree, new Set()).map((n) => n.key)).toEqual(['root', 'a', 'a1', 'a2', 'b']);
  });

  it('hides the subtrees of collapsed spans but not the spans themselves', () => {
    expect(visibleNodes(tree, new Set(['a'])).map((n) => n.key)).toEqual(['root', 'a', 'b']);
    expect(visibleNodes(tree, new Set(['root'])).map((n) => n.key)).toEqual(['root']);
  });

  it('handles 5,000 spans', () => {
    const big = buildTree(bigTrace(5_000, (i) => Math.floor((i - 1) / 4)));
    expect(visibleNodes(big, new Set()).length).toBe(5_000);
    expect(visibleNodes(big, new Set([sid(1)])).length).toBe(1);
  });
});
