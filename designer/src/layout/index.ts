import type { FlowGraph } from '../graph/graph';
import type { Layout } from './elk';
import { structuredLayout } from './structured';

export { type Box, elkLayout, type Layout, SIZES } from './elk';
export { structuredLayout } from './structured';

/**
 * ELK's layered layout reorders branches (it drew `else` before `then`) and lays a try's regions
 * side by side; the structured layout keeps source order, so it draws every flow. ELK stays for
 * comparison in the unit tests.
 */
export async function layoutGraph(graph: FlowGraph): Promise<Layout> {
  return structuredLayout(graph);
}
