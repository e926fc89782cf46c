import type { FlowGraph } from '../graph/graph';
import { elkLayout, type Layout } from './elk';
import { structuredLayout } from './structured';

export { type Box, elkLayout, type Layout, SIZES } from './elk';
export { structuredLayout } from './structured';

/** Above this many graph nodes the designer lays out in linear time (see structured.ts). */
export const ELK_NODE_LIMIT = 300;

export async function layoutGraph(graph: FlowGraph): Promise<Layout> {
  return graph.nodes.length <= ELK_NODE_LIMIT ? elkLayout(graph) : structuredLayout(graph);
}
