import { randomUUID } from 'node:crypto';
import type { Client, WorkflowHandle } from '@temporalio/client';
import proto, { type temporal } from '@temporalio/proto';
import type { CompiledFlow, FlowRunInput } from '../interpreter/model';
import type { Side } from './bundles';
import type { BenchEnv } from './env';

export type History = temporal.api.history.v1.IHistory;

/** What one side runs: the compiled flow for the interpreter, a workflow and args by hand. */
export interface Workload {
  flow: CompiledFlow;
  input?: unknown;
  handwritten: { type: string; args: unknown[] };
}

export interface RunRecord {
  ms: number;
  workflowId: string;
  handle: WorkflowHandle;
  result: unknown;
}

export function startSide(
  client: Client,
  taskQueue: string,
  side: Side,
  work: Workload,
  workflowId = `bench-${side}-${randomUUID()}`,
): Promise<WorkflowHandle> {
  if (side === 'interpreter') {
    const args: FlowRunInput = { flow: work.flow, input: work.input ?? {} };
    // As Weft's client starts a flow: type = flow name, the definition in the input, its hash in memo.
    return client.workflow.start(work.flow.flow, {
      taskQueue,
      workflowId,
      args: [args],
      memo: { weftHash: work.flow.hash },
    });
  }
  return client.workflow.start(work.handwritten.type, {
    taskQueue,
    workflowId,
    args: work.handwritten.args,
  });
}

/** Start to result, in wall milliseconds. */
export async function runSide(env: BenchEnv, side: Side, work: Workload): Promise<RunRecord> {
  const t0 = performance.now();
  const handle = await startSide(env.client, env.workers[side].taskQueue, side, work);
  const result = await handle.result();
  return { ms: performance.now() - t0, workflowId: handle.workflowId, handle, result };
}

export interface HistoryFacts {
  events: number;
  bytes: number;
  history: History;
}

export async function historyOf(client: Client, workflowId: string): Promise<HistoryFacts> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  return {
    events: history.events?.length ?? 0,
    bytes: proto.temporal.api.history.v1.History.encode(history).finish().byteLength,
    history,
  };
}

/** Event type names in order (without the EVENT_TYPE_ prefix), for explaining a difference. */
export function eventTypes(history: History): string[] {
  return (history.events ?? []).map((e) =>
    String(proto.temporal.api.enums.v1.EventType[e.eventType ?? 0]).replace(/^EVENT_TYPE_/, ''),
  );
}
