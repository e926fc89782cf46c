import { randomUUID } from 'node:crypto';
import type { Client, WorkflowHandle, WorkflowStartOptions } from '@temporalio/client';
import {
  type CompiledFlow,
  describeOverLimit,
  type FlowRunInput,
  jsonBytes,
  PAYLOAD_LIMIT_BYTES,
  PAYLOAD_OVERHEAD_BYTES,
  type RetryPolicy,
} from '../model';
import { ClientError } from './errors';
import { checkFlowInput } from './input';
import { registeredSearchAttributes, searchAttributePairs } from './search-attributes';
import { resolveStartTemplate } from './template';

/** The queue flows start on when nobody says otherwise; `weft run` and `weft worker` agree. */
export const DEFAULT_TASK_QUEUE = 'weft';

export interface StartFlowOptions {
  /** Default `<flow>-<random>`. */
  workflowId?: string;
  /** The queue the interpreter workflow runs on (default `weft`). */
  taskQueue?: string;
  /** Extra memo entries, merged over the flow's `options.memo`. */
  memo?: Record<string, unknown>;
}

/** A handle on a started flow, with what the caller needs to print or link it. */
export interface StartedFlow {
  handle: WorkflowHandle;
  workflowId: string;
  runId: string;
  taskQueue: string;
}

function retryPolicy(r: RetryPolicy | undefined): WorkflowStartOptions['retry'] {
  if (!r) return undefined;
  return {
    initialInterval: r.initialInterval,
    backoffCoefficient: r.backoffCoefficient,
    maximumInterval: r.maximumInterval,
    maximumAttempts: r.maximumAttempts,
    nonRetryableErrorTypes: r.nonRetryableErrorTypes,
  } as WorkflowStartOptions['retry'];
}

/**
 * The run's definition travels in its input, so a flow that compiles under the limit can still be
 * refused at start together with a large input ("Blob data size exceeds limit", after the
 * server's retries). Say so first, with both sizes.
 */
export function checkStartSize(args: FlowRunInput): void {
  const bytes = jsonBytes(args) + PAYLOAD_OVERHEAD_BYTES;
  if (bytes <= PAYLOAD_LIMIT_BYTES) return;
  const flowBytes = jsonBytes(args.flow);
  throw new ClientError(
    'WEFT_START_TOO_LARGE',
    `the start payload is ${describeOverLimit(bytes, PAYLOAD_LIMIT_BYTES)}: it carries the compiled flow (${flowBytes} bytes) and the input (${bytes - flowBytes - PAYLOAD_OVERHEAD_BYTES} bytes); pass large data by reference (a URL or a key an activity reads) instead of in the input`,
    { bytes, limit: PAYLOAD_LIMIT_BYTES, flowBytes },
  );
}

export function defaultWorkflowId(flow: CompiledFlow): string {
  return `${flow.flow}-${randomUUID().replaceAll('-', '').slice(0, 12)}`;
}

/**
 * Starts a compiled flow: workflow type = flow name, args `[{flow, input}]`, memo `{weftHash}`
 * (plus the flow's memo), the flow's timeouts, retry policy and search attributes (plus
 * `WeftFlow` when the namespace has it). The input is checked against the flow's schema first.
 */
export async function startFlow(
  client: Client,
  flow: CompiledFlow,
  input: unknown,
  options: StartFlowOptions = {},
): Promise<StartedFlow> {
  const start = await flowStartOptions(client, flow, input, options);
  const handle = await client.workflow.start(flow.flow, start);
  return {
    handle,
    workflowId: start.workflowId,
    runId: handle.firstExecutionRunId,
    taskQueue: start.taskQueue,
  };
}

/**
 * The options `startFlow` starts a flow with; a schedule's action (`weft schedule apply`) starts
 * the scheduled runs with the same ones.
 */
export async function flowStartOptions(
  client: Client,
  flow: CompiledFlow,
  input: unknown,
  options: StartFlowOptions = {},
): Promise<WorkflowStartOptions & { workflowId: string; taskQueue: string }> {
  checkFlowInput(flow, input);
  const root = { input, vars: flow.vars };
  const o = flow.options;
  const memo = {
    ...((await resolveStartTemplate(o.memo ?? {}, root)) as Record<string, unknown>),
    ...options.memo,
    weftHash: flow.hash,
  };
  const attributeValues = (await resolveStartTemplate(o.searchAttributes ?? {}, root)) as Record<
    string,
    unknown
  >;
  const registered = await registeredSearchAttributes(client);
  const taskQueue = options.taskQueue ?? DEFAULT_TASK_QUEUE;
  const workflowId = options.workflowId ?? defaultWorkflowId(flow);
  const args: [FlowRunInput] = [{ flow, input }];
  checkStartSize(args[0]);
  const start: WorkflowStartOptions = {
    taskQueue,
    workflowId,
    args,
    memo,
    workflowExecutionTimeout: o.executionTimeout,
    workflowRunTimeout: o.runTimeout,
    workflowTaskTimeout: o.taskTimeout,
    retry: retryPolicy(o.retry),
    staticSummary: flow.description,
  } as WorkflowStartOptions;
  if (registered) {
    start.typedSearchAttributes = searchAttributePairs(flow.flow, attributeValues, registered);
  } else if (Object.keys(attributeValues).length > 0) {
    // The server would not list its attributes: send them untyped and let it decide.
    start.searchAttributes = Object.fromEntries(
      Object.entries(attributeValues).map(([k, v]) => [k, Array.isArray(v) ? v : [v]]),
    ) as WorkflowStartOptions['searchAttributes'];
  }
  return { ...start, workflowId, taskQueue };
}
