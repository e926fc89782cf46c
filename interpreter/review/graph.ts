import { type FlowGraph, flowToGraph } from '../../designer/src/graph/graph';
import { ReviewError } from './errors';

export type { FlowGraph } from '../../designer/src/graph/graph';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The child flows a file defines under `flows:`, which `--flow <name>` draws. */
export function childFlowNames(flow: unknown): string[] {
  return isRecord(flow) && isRecord(flow.flows) ? Object.keys(flow.flows) : [];
}

/**
 * The designer's graph of a written flow: its top-level body, or with `body` the child flow
 * `flows.<body>` (as the designer's child-flow tabs draw it).
 */
export function reviewGraph(flow: unknown, body?: string): FlowGraph {
  if (body !== undefined && !childFlowNames(flow).includes(body)) {
    const names = childFlowNames(flow);
    throw new ReviewError(
      'WEFT_GRAPH_UNKNOWN_FLOW',
      `no child flow "${body}" under flows:${names.length > 0 ? ` (it has ${names.join(', ')})` : ' (it has none)'}`,
    );
  }
  return flowToGraph(flow, body === undefined ? {} : { body });
}
