import type { Client } from '@temporalio/client';
import { checkJsonDepth } from './depth';
import { checkMessagePayload } from './payload';

/** Runs a query (`weft.progress`, or one of the flow's `queries`) and returns its value. */
export async function queryFlow(
  client: Client,
  workflowId: string,
  name: string,
  args: unknown[] = [],
  runId?: string,
): Promise<unknown> {
  for (const arg of args) checkJsonDepth(arg, `the argument of query ${name}`);
  return client.workflow.getHandle(workflowId, runId).query(name, ...args);
}

/**
 * Sends one of the flow's `signals`; the payload becomes `payload` in its expressions. A payload
 * that breaks the signal's `input` schema is refused here (WEFT_INVALID_PAYLOAD): the run would
 * only drop it and log.
 */
export async function signalFlow(
  client: Client,
  workflowId: string,
  name: string,
  payload?: unknown,
): Promise<void> {
  checkJsonDepth(payload, `the payload of signal ${name}`);
  await checkMessagePayload(client, workflowId, 'signal', name, payload);
  const args = payload === undefined ? [] : [payload];
  await client.workflow.getHandle(workflowId).signal(name, ...args);
}

/**
 * Runs one of the flow's `updates` and returns its `output`. A payload that breaks the update's
 * `input` schema is refused before sending (WEFT_INVALID_PAYLOAD); one the run rejects (validator
 * false) rejects with WorkflowUpdateFailedError and leaves no trace in the history.
 */
export async function updateFlow(
  client: Client,
  workflowId: string,
  name: string,
  payload?: unknown,
): Promise<unknown> {
  checkJsonDepth(payload, `the payload of update ${name}`);
  await checkMessagePayload(client, workflowId, 'update', name, payload);
  const handle = client.workflow.getHandle(workflowId);
  return payload === undefined
    ? handle.executeUpdate(name)
    : handle.executeUpdate(name, { args: [payload] as [unknown] });
}

/** Requests cancellation: the flow runs `onCancel` and its compensations, then ends Cancelled. */
export async function cancelFlow(client: Client, workflowId: string): Promise<void> {
  await client.workflow.getHandle(workflowId).cancel();
}
