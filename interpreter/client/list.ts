import type { Client } from '@temporalio/client';
import { SearchAttributeType } from '@temporalio/common';
import { FLOW_SEARCH_ATTRIBUTE, registeredSearchAttributes } from './search-attributes';

export interface FlowListing {
  workflowId: string;
  runId: string;
  flow: string;
  status: string;
  startTime: string;
  closeTime?: string;
}

export interface ListFlowsOptions {
  /** Only runs of this flow (workflow type). */
  flow?: string;
  /** A raw visibility query, ANDed with `flow`. */
  query?: string;
  /** At most this many, newest first (default 50). */
  limit?: number;
}

function quote(value: string): string {
  return `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

/** Flow runs from the visibility store, newest first. */
export async function listFlows(
  client: Client,
  options: ListFlowsOptions = {},
): Promise<FlowListing[]> {
  const clauses: string[] = [];
  if (options.flow) {
    // Runs Weft starts carry the flow name in WeftFlow; child flows started by the interpreter
    // are found by their workflow type, which is the flow name too.
    const registered = await registeredSearchAttributes(client);
    const byType = `WorkflowType = ${quote(options.flow)}`;
    clauses.push(
      registered?.get(FLOW_SEARCH_ATTRIBUTE) === SearchAttributeType.KEYWORD
        ? `(${FLOW_SEARCH_ATTRIBUTE} = ${quote(options.flow)} OR ${byType})`
        : byType,
    );
  }
  if (options.query) clauses.push(`(${options.query})`);
  const limit = options.limit ?? 50;
  const out: FlowListing[] = [];
  const query = clauses.length > 0 ? clauses.join(' AND ') : undefined;
  for await (const w of client.workflow.list(query ? { query } : {})) {
    const item: FlowListing = {
      workflowId: w.workflowId,
      runId: w.runId,
      flow: w.type,
      status: w.status.name,
      startTime: w.startTime.toISOString(),
    };
    if (w.closeTime) item.closeTime = w.closeTime.toISOString();
    out.push(item);
    if (out.length >= limit) break;
  }
  return out;
}
