import { describe, expect, it } from 'vitest';
import { overviewOf } from '../../../designer/src/components/Minimap';
import type { WeftNode } from '../../../designer/src/components/nodes';
import type { GraphNode } from '../../../designer/src/graph/graph';

function node(
  id: string,
  type: GraphNode['type'],
  box: { x: number; y: number; w: number; h: number },
  extra: { parentId?: string; container?: boolean } = {},
): WeftNode {
  const g = { id, type, label: id, pointer: '', depth: 0 } as GraphNode;
  if (extra.container) g.container = true;
  const n: WeftNode = {
    id,
    type,
    position: { x: box.x, y: box.y },
    width: box.w,
    height: box.h,
    data: { g },
  };
  if (extra.parentId !== undefined) n.parentId = extra.parentId;
  return n;
}

describe('the minimap draws the whole flow once', () => {
  const nodes = [
    node('#start', 'terminal', { x: 0, y: 0, w: 100, h: 40 }),
    node('p', 'step', { x: 0, y: 100, w: 600, h: 300 }, { container: true }),
    node('p/b0', 'branch', { x: 20, y: 40, w: 260, h: 200 }, { parentId: 'p' }),
    node('a', 'step', { x: 10, y: 30, w: 220, h: 64 }, { parentId: 'p/b0' }),
    node('#end', 'terminal', { x: 0, y: 460, w: 100, h: 40 }),
  ];

  it('places nested nodes at their absolute position (parent offsets added up)', () => {
    const view = overviewOf(nodes);
    const a = view.boxes.find((b) => b.w === 220);
    expect(a).toMatchObject({ x: 30, y: 170, outline: false });
  });

  it('outlines containers and branches, and fills steps and terminals', () => {
    expect(overviewOf(nodes).boxes.map((b) => b.outline)).toEqual([
      false,
      true,
      true,
      false,
      false,
    ]);
  });

  it('fits the flow into the minimap, centred, whatever its shape', () => {
    const view = overviewOf(nodes);
    // 600 x 500 of flow into 200 x 150 with 6 px of padding: the height decides.
    expect(view.scale).toBeCloseTo(138 / 500);
    const right = (600 - view.originX) * view.scale + view.offsetX;
    expect(view.offsetX).toBeCloseTo(200 - right);
    expect(view.offsetY).toBeCloseTo(6);
  });

  it('draws nothing, without dividing by zero, for a flow with no boxes yet', () => {
    expect(overviewOf([])).toMatchObject({ boxes: [], scale: 1 });
  });
});
