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
  /**
   * CPU time this process spent meanwhile (workers, activities, client), in ms: on a shared,
   * loaded machine it moves far less than wall time, because other processes do not count.
   */
  cpuMs: number;
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
  const cpu0 = process.cpuUsage();
  const handle = await startSide(env.client, env.workers[side].taskQueue, side, work);
  const result = await handle.result();
  const ms = performance.now() - t0;
  return { ms, cpuMs: cpuMs(cpu0), workflowId: handle.workflowId, handle, result };
}

/** CPU ms (user + system, all threads) of this process since `since`. */
export function cpuMs(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
}

export interface HistoryFacts {
  /** Events of every run of the execution chain (continue-as-new starts a new run). */
  events: number;
  bytes: number;
  /** How many runs the chain has: more than one when the flow continued as new. */
  runs: number;
  /** Each run's history, oldest first. */
  histories: History[];
}

/**
 * The histories of a workflow id's whole chain of runs, oldest first. Weft continues as new when
 * the server suggests it (DESIGN.md, "Long flows"), so a long flow's events span several runs.
 */
export async function historyOf(client: Client, workflowId: string): Promise<HistoryFacts> {
  const histories: History[] = [];
  let runId: string | undefined;
  for (;;) {
    const handle = client.workflow.getHandle(workflowId, runId, { followRuns: false });
    const history = await handle.fetchHistory();
    histories.unshift(history);
    const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
    runId = started?.continuedExecutionRunId ?? undefined;
    if (!runId) break;
  }
  return {
    events: histories.reduce((n, h) => n + (h.events?.length ?? 0), 0),
    bytes: histories.reduce(
      (n, h) => n + proto.temporal.api.history.v1.History.encode(h).finish().byteLength,
      0,
    ),
    runs: histories.length,
    histories,
  };
}

/** Event type names in order (without the EVENT_TYPE_ prefix), for explaining a difference. */
export function eventTypes(history: History): string[] {
  return (history.events ?? []).map((e) =>
    String(proto.temporal.api.enums.v1.EventType[e.eventType ?? 0]).replace(/^EVENT_TYPE_/, ''),
  );
}
