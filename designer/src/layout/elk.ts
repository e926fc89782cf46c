/**
 * Layout with elkjs: computed from the graph on every redraw, never stored in the flow. Each
 * group (a container step or a branch) is laid out on its own, bottom-up (ELK's default
 * SEPARATE_CHILDREN), which is why the graph keeps every edge inside one group.
 */
import type { ELK as ElkApi, ElkNode } from 'elkjs/lib/elk-api';
import type { FlowGraph, GraphNode } from '../graph/graph';

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Node id -> box; x/y relative to the parent group, as React Flow wants them. */
export type Layout = Map<string, Box>;

export const SIZES: Record<GraphNode['type'], { width: number; height: number }> = {
  step: { width: 220, height: 64 },
  terminal: { width: 96, height: 34 },
  anchor: { width: 10, height: 10 },
  fork: { width: 26, height: 26 },
  join: { width: 26, height: 26 },
  branch: { width: 0, height: 0 },
};

const ROOT_OPTIONS = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  'elk.spacing.nodeNode': '28',
  'elk.layered.spacing.nodeNodeBetweenLayers': '30',
  'elk.layered.nodePlacement.strategy': 'SIMPLE',
  'elk.layered.crossingMinimization.greedySwitch.type': 'OFF',
  'elk.layered.thoroughness': '1',
  'elk.layered.layering.strategy': 'LONGEST_PATH',
  'elk.separateConnectedComponents': 'false',
};

const PADDING = {
  step: '[top=40,left=14,bottom=14,right=14]',
  branch: '[top=26,left=10,bottom=10,right=10]',
};

let elk: Promise<ElkApi> | undefined;

/** ELK is big (1.5 MB): it loads on the first layout, not with the app. */
function loadElk(): Promise<ElkApi> {
  elk ??= import('elkjs/lib/elk.bundled.js').then((m) => new m.default());
  return elk;
}

export async function elkLayout(graph: FlowGraph): Promise<Layout> {
  const elkNodes = new Map<string, ElkNode>();
  const root: ElkNode = { id: '#root', layoutOptions: ROOT_OPTIONS, children: [], edges: [] };
  for (const n of graph.nodes) {
    const group = n.type === 'branch' || (n.type === 'step' && n.container === true);
    const e: ElkNode = group
      ? {
          id: n.id,
          children: [],
          edges: [],
          layoutOptions: {
            ...ROOT_OPTIONS,
            'elk.padding': n.type === 'branch' ? PADDING.branch : PADDING.step,
          },
        }
      : { id: n.id, ...SIZES[n.type] };
    elkNodes.set(n.id, e);
    const parent = n.parent === undefined ? root : elkNodes.get(n.parent);
    (parent ?? root).children!.push(e);
  }
  for (const edge of graph.edges) {
    const parent = edge.parent === undefined ? root : elkNodes.get(edge.parent);
    (parent ?? root).edges!.push({ id: edge.id, sources: [edge.source], targets: [edge.target] });
  }
  const laid = await (await loadElk()).layout(root);
  const out: Layout = new Map();
  const walk = (node: ElkNode): void => {
    for (const c of node.children ?? []) {
      out.set(c.id, { x: c.x ?? 0, y: c.y ?? 0, width: c.width ?? 0, height: c.height ?? 0 });
      walk(c);
    }
  };
  walk(laid);
  return out;
}
