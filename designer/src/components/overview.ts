/**
 * The canvas's nodes as absolute boxes, for the drawings that stand in for them: the minimap,
 * and the picture of the flow shown while a far-zoomed big flow is panned (PanSnapshot.tsx).
 */
import type { WeftNode } from './nodes';

export interface OverviewBox {
  node: WeftNode;
  x: number;
  y: number;
  w: number;
  h: number;
  /** A container step or a branch: drawn as a region, its children over it. */
  outline: boolean;
}

export interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Absolute boxes of the nodes that have a size, in drawing order, and their bounds. */
export function absoluteBoxes(nodes: readonly WeftNode[]): {
  boxes: OverviewBox[];
  bounds: Bounds | undefined;
} {
  const absolute = new Map<string, { x: number; y: number }>();
  const boxes: OverviewBox[] = [];
  let minX = Number.POSITIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  // Parents come before their children (React Flow requires it), so one pass places them all.
  for (const node of nodes) {
    const parent = node.parentId === undefined ? undefined : absolute.get(node.parentId);
    const x = node.position.x + (parent?.x ?? 0);
    const y = node.position.y + (parent?.y ?? 0);
    absolute.set(node.id, { x, y });
    const w = node.width ?? 0;
    const h = node.height ?? 0;
    if (w === 0 || h === 0) continue;
    boxes.push({
      node,
      x,
      y,
      w,
      h,
      outline: node.type === 'branch' || node.data.g.container === true,
    });
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    maxX = Math.max(maxX, x + w);
    maxY = Math.max(maxY, y + h);
  }
  if (boxes.length === 0) return { boxes, bounds: undefined };
  return {
    boxes,
    bounds: { x: minX, y: minY, width: Math.max(maxX - minX, 1), height: Math.max(maxY - minY, 1) },
  };
}
