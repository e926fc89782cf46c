import { type Client, WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import {
  ApplicationFailure,
  CancelledFailure,
  TerminatedFailure,
  TimeoutFailure,
} from '@temporalio/common';
import { type FailedRunStatus, type FlowError, flowErrorOfFlow } from '../model/wire';

/** How a flow ended, as the CLI, the API and tests report it. */
export type FlowOutcome =
  | { status: 'completed'; output: unknown }
  | { status: FailedRunStatus; error: FlowError };

/** Maps a workflow's failure to the DSL's error vocabulary (DESIGN.md, errors). */
export function outcomeOfError(err: unknown): FlowOutcome {
  if (err instanceof WorkflowFailedError) {
    const cause = err.cause;
    if (cause instanceof ApplicationFailure)
      return { status: 'failed', error: flowErrorOfFlow(cause) };
    if (cause instanceof CancelledFailure) {
      return {
        status: 'cancelled',
        error: { type: 'Cancelled', message: cause.message || 'cancelled' },
      };
    }
    if (cause instanceof TerminatedFailure) {
      return {
        status: 'terminated',
        error: { type: 'Terminated', message: cause.message || 'terminated' },
      };
    }
    if (cause instanceof TimeoutFailure) {
      return {
        status: 'timedOut',
        error: { type: 'Timeout', message: `flow timed out (${cause.timeoutType ?? 'timeout'})` },
      };
    }
    return { status: 'failed', error: { type: 'Error', message: cause?.message ?? err.message } };
  }
  throw err;
}

/** Waits for the flow (following continue-as-new) and reports how it ended. */
export async function flowOutcome(handle: WorkflowHandle): Promise<FlowOutcome> {
  try {
    return { status: 'completed', output: await handle.result() };
  } catch (err) {
    return outcomeOfError(err);
  }
}

/** The outcome of the flow run `workflowId` (latest run unless runId is given). */
export function flowResult(
  client: Client,
  workflowId: string,
  runId?: string,
): Promise<FlowOutcome> {
  return flowOutcome(client.workflow.getHandle(workflowId, runId));
}
