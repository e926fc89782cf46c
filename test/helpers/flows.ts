import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { WorkerOptions } from '@temporalio/worker';
import { afterAll, beforeAll } from 'vitest';
import { compileFlow, formatDiagnostic, hasErrors, parseFlowText } from '../../interpreter/dsl';
import type { CompiledFlow, FlowError, FlowRunInput } from '../../interpreter/model';
import { testClient, uniqueWorkflowId } from './temporal';
import { startTestWorker, type TestWorker } from './worker';

export type FlowSource = CompiledFlow | string | Record<string, unknown>;

/** Compiles flow YAML/JSON text, or a flow object, with the DSL compiler; throws on errors. */
export function compileText(source: string | Record<string, unknown>): CompiledFlow {
  const text = typeof source === 'string' ? source : JSON.stringify(source);
  const parsed = parseFlowText(text, 'test.flow.yaml');
  const { compiled, diagnostics } = compileFlow(parsed);
  if (!compiled || hasErrors(diagnostics)) {
    throw new Error(
      `flow does not compile:\n${diagnostics.map((d) => formatDiagnostic(d)).join('\n')}`,
    );
  }
  return compiled;
}

export type Outcome =
  | { status: 'completed'; output: unknown }
  | { status: 'failed'; error: FlowError }
  | { status: 'cancelled' };

/** Waits for a run and reads its outcome the way `weft run --json` reports it. */
export async function outcomeOf(handle: WorkflowHandle): Promise<Outcome> {
  try {
    return { status: 'completed', output: await handle.result() };
  } catch (err) {
    if (err instanceof WorkflowFailedError) {
      if (err.cause instanceof CancelledFailure) return { status: 'cancelled' };
      if (err.cause instanceof ApplicationFailure) {
        const carried = err.cause.details?.[0] as FlowError | undefined;
        return {
          status: 'failed',
          error: carried ?? { type: err.cause.type ?? 'Error', message: err.cause.message },
        };
      }
    }
    throw err;
  }
}

export interface FlowHarness {
  client: Client;
  worker: TestWorker;
  taskQueue: string;
  /** Starts a compiled flow (or YAML text) as workflow type = flow name. */
  start(flow: FlowSource, input?: unknown, workflowId?: string): Promise<WorkflowHandle>;
  /** Starts it and waits for its outcome. */
  run(flow: FlowSource, input?: unknown): Promise<Outcome>;
  stop(): Promise<void>;
}

/** A worker running the interpreter with the given activities, and a client to start flows. */
export async function flowHarness(options: Partial<WorkerOptions> = {}): Promise<FlowHarness> {
  const client = await testClient();
  const worker = await startTestWorker({ taskQueuePrefix: 'wf', ...options });
  const start = async (flow: FlowSource, input?: unknown, workflowId?: string) => {
    const compiled = isCompiled(flow) ? flow : compileText(flow);
    const args: FlowRunInput = { flow: compiled, input };
    return client.workflow.start(compiled.flow, {
      taskQueue: worker.taskQueue,
      workflowId: workflowId ?? uniqueWorkflowId(compiled.flow),
      args: [args],
      memo: { weftHash: compiled.hash },
    });
  };
  return {
    client,
    worker,
    taskQueue: worker.taskQueue,
    start,
    run: async (flow, input) => outcomeOf(await start(flow, input)),
    stop: () => worker.stop(),
  };
}

function isCompiled(flow: FlowSource): flow is CompiledFlow {
  return typeof flow === 'object' && (flow as { weft?: unknown }).weft === 1;
}

/**
 * One harness per test file: a worker with these activities, started before and stopped after
 * the file's tests. Returns a getter, since the harness exists only once beforeAll ran.
 */
export function harnessPerFile(options: Partial<WorkerOptions> = {}): () => FlowHarness {
  let harness: FlowHarness | undefined;
  beforeAll(async () => {
    harness = await flowHarness(options);
  });
  afterAll(async () => {
    await harness?.stop();
  });
  return () => {
    if (!harness) throw new Error('the flow harness is not started (beforeAll did not run)');
    return harness;
  };
}

/**
 * Keeps a run's history as a replay fixture (test/histories/<name>.json) when
 * WEFT_RECORD_HISTORIES=1; test/replay replays every file there on each `npm test`.
 */
export async function recordHistory(handle: WorkflowHandle, name: string): Promise<void> {
  if (process.env.WEFT_RECORD_HISTORIES !== '1') return;
  const history = await handle.fetchHistory();
  const file = fileURLToPath(new URL(`../histories/${name}.json`, import.meta.url));
  writeFileSync(file, `${JSON.stringify(historyToObject(history), null, 1)}\n`);
}

const HISTORY_JSON = { longs: String, enums: String, bytes: String } as const;
type HistoryMessage = temporal.api.history.v1.History;

/**
 * History <-> JSON through @temporalio/proto's own protobufjs. The SDK's historyFromJSON cannot
 * be used in this install: @temporalio/common and @temporalio/proto each carry their own nested
 * copy of protobufjs 8, so its proto-JSON reader rejects @temporalio/proto's types.
 */
export function historyToObject(history: temporal.api.history.v1.IHistory): unknown {
  return temporal.api.history.v1.History.toObject(history as HistoryMessage, HISTORY_JSON);
}

export function historyFromObject(json: unknown): HistoryMessage {
  return temporal.api.history.v1.History.fromObject(json as Record<string, unknown>);
}

/** The event types of a run's history, in order. */
export async function eventTypes(handle: WorkflowHandle): Promise<string[]> {
  const history = await handle.fetchHistory();
  return (history.events ?? []).map((e) =>
    String(temporal.api.enums.v1.EventType[e.eventType ?? 0]).replace(/^EVENT_TYPE_/, ''),
  );
}
