import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type FlowGraph, flowToGraph } from '../../../designer/src/graph/graph';
import { elkLayout, type Layout, structuredLayout } from '../../../designer/src/layout';

const flow = parse(
  readFileSync(new URL('../../../examples/order-fulfilment.flow.yaml', import.meta.url), 'utf8'),
) as unknown;

/** Every node has a box inside its parent, and siblings never overlap. */
function expectSane(graph: FlowGraph, layout: Layout): void {
  for (const n of graph.nodes) {
    const box = layout.get(n.id);
    expect(box, n.id).toBeDefined();
    if (!box) continue;
    expect(box.width).toBeGreaterThan(0);
    if (n.parent !== undefined) {
      const parent = layout.get(n.parent)!;
      expect(box.x, n.id).toBeGreaterThanOrEqual(0);
      expect(box.y, n.id).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width, n.id).toBeLessThanOrEqual(parent.width + 0.5);
      expect(box.y + box.height, n.id).toBeLessThanOrEqual(parent.height + 0.5);
    }
  }
  const byParent = new Map<string, string[]>();
  for (const n of graph.nodes) {
    const k = n.parent ?? '';
    byParent.set(k, [...(byParent.get(k) ?? []), n.id]);
  }
  for (const ids of byParent.values()) {
    for (let i = 0; i < ids.length; i++) {
      for (let j = i + 1; j < ids.length; j++) {
        const a = layout.get(ids[i]!)!;
        const b = layout.get(ids[j]!)!;
        const apart =
          a.x + a.width <= b.x ||
          b.x + b.width <= a.x ||
          a.y + a.height <= b.y ||
          b.y + b.height <= a.y;
        expect(apart, `${ids[i]} overlaps ${ids[j]}`).toBe(true);
      }
    }
  }
}

describe('layout', () => {
  it('ELK places every node of a flow with groups inside their parents', async () => {
    const graph = flowToGraph(flow);
    expectSane(graph, await elkLayout(graph));
  });

  it('the structured layout does the same, and draws a chain top to bottom', () => {
    const graph = flowToGraph(flow);
    const layout = structuredLayout(graph);
    expectSane(graph, layout);
    const chain = graph.nodes.filter((n) => n.parent === undefined && n.type === 'step');
    const ys = ['#start', ...chain.map((n) => n.id), '#end'].map((id) => layout.get(id)!.y);
    expect(ys).toEqual([...ys].sort((a, b) => a - b));
  });

  it('lays out a 1,000-step flow with every node placed', () => {
    const steps = Array.from({ length: 1000 }, (_, i) =>
      i % 100 === 0 ? { if: 'x', then: [{ activity: 'a.b' }], else: [] } : { activity: `a.b${i}` },
    );
    const graph = flowToGraph({ flow: 'big', steps });
    const layout = structuredLayout(graph);
    expect(layout.size).toBe(graph.nodes.length);
  });
});
